using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Blocks;

/// <summary>A city block (manzana): a face of the street network, clipped to the boundary.</summary>
public sealed class Block
{
    /// <summary>Stable id, e.g. "M3K7QX2D9FA": from the block's interior point (rounded to 1 m in UTM), so the same
    /// data gives the same ids and a change elsewhere leaves them alone. Unique within a <see cref="BlockSet"/>.</summary>
    public required string Id { get; init; }

    /// <summary>The block in lon/lat (EPSG:4326).</summary>
    public required Polygon Geometry { get; init; }

    /// <summary>Area in m² (UTM, scale-corrected: agrees with PostGIS geography).</summary>
    public double AreaSquareMeters { get; init; }

    /// <summary>Length of every ring in metres.</summary>
    public double PerimeterMeters { get; init; }

    /// <summary>Length of the block's rings that lies on streets (not on the clip boundary), metres.</summary>
    public double FrontageMeters { get; init; }

    /// <summary>Incidents inside; filled by <see cref="BlockBuilder.CountContents"/>.</summary>
    public int Incidents { get; set; }

    /// <summary>Buildings whose interior point is inside; filled by <see cref="BlockBuilder.CountContents"/>.</summary>
    public int Buildings { get; set; }
}

/// <summary>What a build did: counts of what was left out or repaired, and how long it took.</summary>
/// <param name="InputLines">Street lines given.</param>
/// <param name="ExcludedByClass">Left out for their class (footway, service, ...).</param>
/// <param name="ExcludedOtherLayer">Left out because they are on another layer (bridges, tunnels).</param>
/// <param name="SnappedEndpoints">Line ends moved onto a nearby line (within the snap tolerance).</param>
/// <param name="DuplicateLinesDropped">Lines dropped because another line has the same geometry.</param>
/// <param name="DanglesDropped">Noded edges that bound no face (dead ends and cut edges).</param>
/// <param name="Blocks">Blocks made.</param>
/// <param name="ElapsedMilliseconds">Wall time of the build.</param>
/// <param name="Notes">Other things worth telling (slivers merged, boundary repaired, ...).</param>
public sealed record BlockReport(
    int InputLines, int ExcludedByClass, int ExcludedOtherLayer, int SnappedEndpoints, int DuplicateLinesDropped,
    int DanglesDropped, int Blocks, double ElapsedMilliseconds, IReadOnlyList<Note> Notes);

/// <summary>The blocks of a build, the report, and the UTM zone the work was done in.</summary>
public sealed record BlockSet(IReadOnlyList<Block> Blocks, BlockReport Report, int UtmEpsg);

/// <summary>
/// Street lines ready to node: at grade, of a block-forming class, in UTM metres on the grid, line ends snapped,
/// exact duplicates removed. What <see cref="BlockBuilder.Build"/> nodes and polygonizes, and what an oracle
/// (PostGIS <c>ST_Polygonize(ST_Node(ST_Collect(geom)))</c>) should be given to compare.
/// </summary>
public sealed record PreparedStreets(
    IReadOnlyList<LineString> Lines, int UtmEpsg, int InputLines, int ExcludedByClass, int ExcludedOtherLayer,
    int SnappedEndpoints, int DuplicateLinesDropped, IReadOnlyList<Note> Notes);
