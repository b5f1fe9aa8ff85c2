using System.Security.Claims;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Sectors;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>The police contingents of the neighbourhoods.</summary>
public static class ContingentEndpoints
{
    public static IEndpointRouteBuilder MapContingents(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/contingents").WithTags("Contingents")
            .MapGet("/", List).WithSummary("Every contingent: officers, shifts, availability, mode, crew size, serenazgo units and version per neighbourhood.");
        return app;
    }

    /// <summary>Every contingent; a user limited to districts gets those of its districts' neighbourhoods only.</summary>
    public static async Task<Ok<List<EntryEndpoints.ContingentView>>> List(PlanStore plans, BarrioDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var contingents = await plans.ContingentsAsync(ct);
        if (user.DistrictsOf() is { Count: > 0 } districts)
        {
            var allowed = (await FeatureCatalog.InDistricts(db.Neighborhoods.AsNoTracking(), districts).Select(n => n.Id).ToListAsync(ct)).ToHashSet();
            contingents = contingents.Where(c => allowed.Contains(c.NeighborhoodId)).ToList();
        }
        return TypedResults.Ok(contingents
            .Select(EntryEndpoints.ViewOf)
            .ToList());
    }
}
