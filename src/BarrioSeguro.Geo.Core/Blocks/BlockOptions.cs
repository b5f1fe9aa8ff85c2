namespace BarrioSeguro.Geo.Core.Blocks;

/// <summary>How <see cref="BlockBuilder"/> turns streets into blocks.</summary>
public sealed record BlockOptions
{
    /// <summary>OSM highway classes that never bound a block: paths, service roads, ways under construction, ...</summary>
    public static IReadOnlySet<string> DefaultExcludedClasses { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "footway", "path", "steps", "cycleway", "bridleway", "track", "service", "corridor", "platform", "proposed",
        "construction", "elevator", "via_ferrata", "raceway", "bus_stop",
    };

    /// <summary>A line end closer than this (metres) to another line is moved onto it, closing nearly-touching junctions.
    /// 0 turns snapping off.</summary>
    public double SnapToleranceMeters { get; init; } = 0.5;

    /// <summary>Street classes left out (compared ignoring case). Default: <see cref="DefaultExcludedClasses"/>.</summary>
    public IReadOnlySet<string> ExcludedClasses { get; init; } = DefaultExcludedClasses;

    /// <summary>Pieces smaller than this (m²) are slivers: merged into a neighbour, or dropped when they have none.
    /// 0 keeps every piece.</summary>
    public double MinAreaSquareMeters { get; init; } = 1.0;

    /// <summary>Pieces whose mean width (2 × area / perimeter) is below this (metres) are slivers too, e.g. the strip
    /// between a way and a near-duplicate of it. 0 turns this rule off.</summary>
    public double SliverWidthMeters { get; init; } = 0.5;

    /// <summary>Coordinates are rounded to this grid (metres, in UTM) before noding. Default 1 mm.</summary>
    public double GridMeters { get; init; } = 0.001;
}
