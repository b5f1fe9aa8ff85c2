using System.Globalization;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data.Features;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>issue 14.5, plans: the <c>plan</c> query parameter of the plan collections (items and export).</summary>
public static class PlanCollectionParameters
{
    public const string Description =
        "The id of a kept plan: only its features (collections plans, sectors, plan-blocks, routes and coverage; 400 on the others). Without it, every plan the user's districts allow.";

    /// <summary>The plan asked for (null: every plan the user may see), or a 400 naming the parameter: plan=… on a
    /// collection of no plan, or a value that is no plan number.</summary>
    public static (int? Plan, BadRequestProblem? Problem) Parse(string collection, string? plan)
    {
        if (plan is null) return (null, null);
        if (!PlanCollections.TakesPlan(collection))
            return (null, Problems.BadRequest("Unknown parameter", Note.Of("plancol.plan_not_taken", ("collection", collection),
                ("collections", PlanCollections.Collections.Select(c => c.Name).Where(PlanCollections.TakesPlan).ToArray())), FileExport.Parameter(PlanCollections.PlanParameter)));
        if (!int.TryParse(plan, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            return (null, Problems.BadRequest("Invalid plan", Note.Of("plancol.plan_not_id", ("plan", plan)), FileExport.Parameter(PlanCollections.PlanParameter)));
        return (id, null);
    }
}
