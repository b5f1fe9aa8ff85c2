using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Planning.Reports;

/// <summary>Where a unit stood (lon/lat).</summary>
public sealed record UnitPlace(string Name, double Lon, double Lat);

/// <summary>A unit placed on the street graph, and how far it moved to reach the nearest street.</summary>
public sealed record SnappedUnitReport(string Name, double Lon, double Lat, double MovedM);

/// <summary>A unit left out: no street within the tolerance (<paramref name="NearestStreetM"/> null: none within 10 km).</summary>
public sealed record RefusedUnitReport(string Name, double Lon, double Lat, double? NearestStreetM);

/// <summary>The street graph a computation ran on.</summary>
public sealed record NetworkReport(
    int Edges, int Nodes, int Components, double LargestComponentKm, double OutsideLargestKm, int StreetsNotUsableByMode, double KmNotUsableByMode)
{
    public static NetworkReport Of(StreetGraph g) => new(g.Edges.Count, g.NodeCount, g.Components.Count, Math.Round(g.Components.LargestKm, 3),
        Math.Round(g.Components.LeftOutKm, 3), g.Report.ExcludedForMode, Math.Round(g.Report.ExcludedForModeKm, 3));
}

/// <summary>
/// What a set of units reaches within a time on the street network: one shape for the CLI's coverage report, the kept
/// coverage and the API.
/// </summary>
/// <param name="Shift">The shift of these units (null: the units of every shift together).</param>
/// <param name="Placement">Where the units stand: sectors (their centres), stations, routes, or file (the CLI's --units).</param>
/// <param name="Figures">The headline figures: of the neighbourhood for a kept plan, of the whole graph in the CLI.</param>
/// <param name="Sectors">The same figures per sector.</param>
/// <param name="NetworkFigures">The figures of the whole graph (for a plan it runs about 500 m beyond the neighbourhood).</param>
public sealed record CoverageReport(
    string Mode, double Minutes, string? Shift, int Units, string Placement, IReadOnlyList<UnitPlace> UnitPlaces,
    CoverageFigures Figures, IReadOnlyList<SectorCoverage> Sectors, CoverageFigures NetworkFigures,
    IReadOnlyList<SnappedUnitReport> UnitsSnapped, IReadOnlyList<RefusedUnitReport> UnitsRefused, NetworkReport Network,
    int ComponentsWithoutUnit, double KmWithoutUnit, int BlocksOffNetwork, int IncidentsOffNetwork, double ElapsedMs, IReadOnlyList<Note> Notes)
{
    /// <summary>CLI: the same report for the units of each shift (the units' shift attribute).</summary>
    public IReadOnlyList<CoverageReport>? Shifts { get; init; }

    public static CoverageFigures Rounded(CoverageFigures f) => new(
        Math.Round(f.StreetKm, 4), Math.Round(f.CoveredStreetKm, 4), Math.Round(f.CoveredStreetKmPct, 3), Math.Round(f.BackupStreetKm, 4),
        Math.Round(f.BackupStreetKmPct, 3), f.Blocks, f.CoveredBlocks, Math.Round(f.CoveredBlocksPct, 3), f.Incidents,
        Math.Round(f.IncidentWeight, 4), Math.Round(f.CoveredIncidentWeight, 4), Math.Round(f.CoveredIncidentPct, 3));
}
