using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Network;

/// <summary>A point with a weight (an incident and how much it counts), in lon/lat.</summary>
public sealed record WeightedPoint(Point LonLat, double Weight = 1);

/// <summary>A named polygon in lon/lat (a patrol sector) to get figures for.</summary>
public sealed record NamedArea(string Name, Geometry LonLat);

/// <summary>Options of <see cref="Coverage.Compute"/>.</summary>
public sealed record CoverageOptions
{
    /// <summary>A unit farther than this (ground metres) from every street is refused (named in the result).</summary>
    public double SnapToleranceM { get; init; } = 50;

    /// <summary>Names of the units, in order (for messages and the report); null: "unit 1", "unit 2", ...</summary>
    public IReadOnlyList<string>? UnitNames { get; init; }

    /// <summary>City blocks (polygons, lon/lat). A block is covered when the street point nearest its centroid
    /// (within <see cref="BlockSnapToleranceM"/>) is reached within the time; a block with no street that near is
    /// counted as not covered.</summary>
    public IReadOnlyList<Geometry>? BlocksLonLat { get; init; }

    /// <summary>How far a block's centroid may be from its nearest street. Default 250 m.</summary>
    public double BlockSnapToleranceM { get; init; } = 250;

    /// <summary>Incidents with weights (lon/lat). An incident is covered when the street point nearest it (within
    /// <see cref="SnapToleranceM"/>) is reached; one farther from every street is not covered.</summary>
    public IReadOnlyList<WeightedPoint>? IncidentsLonLat { get; init; }

    /// <summary>Sectors to get the same figures for (edges by their middle point, blocks by centroid, incidents by
    /// position).</summary>
    public IReadOnlyList<NamedArea>? Sectors { get; init; }

    /// <summary>Half-width of the covered area polygon around covered street pieces (ground metres): about half a
    /// block, the frontage an officer on the street watches. Default 30 m.</summary>
    public double AreaBufferM { get; init; } = 30;
}

/// <summary>A unit placed on the graph.</summary>
public sealed record SnappedUnit(int Index, string Name, Point LonLat, EdgeLocation At);

/// <summary>A unit left out: no street within the tolerance (<paramref name="NearestStreetM"/> null: none within 10 km).</summary>
public sealed record RefusedUnit(int Index, string Name, Point LonLat, double? NearestStreetM);

/// <summary>Coverage figures for an area (the whole graph or a sector).</summary>
public sealed record CoverageFigures(
    double StreetKm, double CoveredStreetKm, double CoveredStreetKmPct, double BackupStreetKm, double BackupStreetKmPct,
    int Blocks, int CoveredBlocks, double CoveredBlocksPct,
    int Incidents, double IncidentWeight, double CoveredIncidentWeight, double CoveredIncidentPct);

/// <summary>Figures of one sector.</summary>
public sealed record SectorCoverage(string Name, CoverageFigures Figures);
