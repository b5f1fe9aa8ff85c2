using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Planning.Reports;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Planning.Network;

/// <summary>A kept plan as coverage and routes need it, loaded: the graph around the neighbourhood and what lies in it.</summary>
/// <param name="Graph">The street graph of the travel mode, about 500 m beyond the neighbourhood.</param>
/// <param name="Blocks">The neighbourhood's blocks (<see cref="Blocks.BlockPlanning.Build"/>), counted as covered or not.</param>
/// <param name="Incidents">Incidents in the neighbourhood.</param>
/// <param name="Stations">Police stations in and around the neighbourhood.</param>
/// <param name="Routes">The newest kept route of each sector for the mode.</param>
public sealed record PlanNetworkInput(
    int PlanId, string NeighborhoodName, Geometry Boundary, IReadOnlyList<(int Sector, Geometry Polygon)> Sectors, Staffing? Staffing,
    StreetGraph Graph, IReadOnlyList<Geometry> Blocks, IReadOnlyList<Point> Incidents, IReadOnlyList<(string Name, Point Place)> Stations,
    IReadOnlyList<(int Sector, LineString Track, RouteReport Report)> Routes);

/// <summary>Coverage of a kept plan: units at the sector centres (per shift), at the stations, or along the kept routes.</summary>
public static class PlanNetworkCoverage
{
    /// <summary>The longest threshold a plan's coverage is asked for, minutes.</summary>
    public const double MaxMinutes = 240;

    /// <param name="units">sectors (default), stations or routes.</param>
    /// <exception cref="ArgumentException">Minutes out of range, an unknown placement, no station near, no kept routes.</exception>
    public static List<CoverageOutcome> Compute(PlanNetworkInput plan, string? units, double minutes, double? atMinute)
    {
        if (!(minutes > 0) || minutes > MaxMinutes) throw new RefusalException(Note.Of("coverage.refused_minutes", ("minutes", minutes.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("limit", MaxMinutes)), nameof(minutes));
        var placement = (units ?? "sectors").Trim().ToLowerInvariant();
        var targets = new CoverageTargets(
            plan.Blocks, plan.Incidents.Select(i => new WeightedPoint(i)).ToList(),
            plan.Sectors.OrderBy(s => s.Sector).Select(s => new NamedArea(SectorLabel.Of(s.Sector), s.Polygon)).ToList(),
            // The neighbourhood first: the graph runs ~500 m beyond it, and its own figures are the headline.
            new NamedArea(plan.NeighborhoodName, plan.Boundary));
        const string all = "todos";
        switch (placement)
        {
            case "sectors":
                var anchors = CoveragePlanning.AtSectorCentres(plan.Sectors);
                var shifts = plan.Staffing?.PerShift.Select(p => (p.Shift, p.Units)).ToList() ?? [(all, anchors.Count)];
                return CoveragePlanning.PerShift(plan.Graph, anchors, shifts, minutes, targets, placement);
            case "stations":
                if (plan.Stations.Count == 0) throw new RefusalException(Note.Of("coverage.refused_no_station"), nameof(units));
                var stations = plan.Stations.Select(s => new CoverageUnit(s.Name, s.Place)).ToList();
                return [CoveragePlanning.Once(plan.Graph, stations, minutes, targets, all, placement, [])];
            case "routes":
                if (plan.Routes.Count == 0)
                    throw new RefusalException(Note.Of("coverage.refused_no_routes", ("plan", plan.PlanId), ("mode", plan.Graph.Mode.Name())), nameof(units));
                var along = CoveragePlanning.AlongRoutes(plan.Routes, atMinute);
                return [CoveragePlanning.Once(plan.Graph, along, minutes, targets, along[0].Shift, placement, [])];
            default:
                throw new RefusalException(Note.Of("coverage.refused_units_word", ("value", units ?? "")), nameof(units));
        }
    }
}
