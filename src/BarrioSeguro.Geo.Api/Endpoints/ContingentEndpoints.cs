using BarrioSeguro.Geo.Data.Sectors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>The police contingents of the neighbourhoods.</summary>
public static class ContingentEndpoints
{
    public sealed record ContingentView(int Id, int NeighborhoodId, string Name, int Officers, int Shifts, double OfficersPerShift);

    public static IEndpointRouteBuilder MapContingents(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/contingents").WithTags("Contingents")
            .MapGet("/", List).WithSummary("Every contingent: officers and shifts per neighbourhood.");
        return app;
    }

    public static async Task<Ok<List<ContingentView>>> List(PlanStore plans, CancellationToken ct) =>
        TypedResults.Ok((await plans.ContingentsAsync(ct))
            .Select(c => new ContingentView(c.Id, c.NeighborhoodId, c.Name, c.Officers, c.Shifts, Math.Round(c.OfficersPerShift, 2)))
            .ToList());
}
