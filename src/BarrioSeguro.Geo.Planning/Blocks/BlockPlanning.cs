using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Planning.Blocks;

/// <summary>
/// Blocks of an area, the same way for the CLI (streets from a file) and the service (stored streets): the blocks the
/// streets enclose, clipped to the area, with the incidents and buildings counted in them. A block that reaches into
/// the area may be closed by a street outside it, so the service loads the streets <see cref="Around"/> the area
/// (about 1 km beyond its box), not only those that touch it.
/// </summary>
public static class BlockPlanning
{
    /// <summary>How far around an area streets are taken for its blocks, in degrees (about 1.1 km at Trujillo's latitude).</summary>
    public const double MarginDegrees = 0.01;

    /// <summary>How far around an area the street graph of coverage and routes reaches, in degrees (about 550 m).</summary>
    public const double NetworkMarginDegrees = 0.005;

    /// <summary>The box around an area that streets are taken from: its envelope grown by <see cref="MarginDegrees"/>.</summary>
    public static Polygon Around(Geometry area, double margin = MarginDegrees)
    {
        var box = area.EnvelopeInternal.Copy();
        box.ExpandBy(margin);
        return (Polygon)new GeometryFactory(new PrecisionModel(), Crs.Wgs84).ToGeometry(box);
    }

    /// <summary>The items whose geometry meets <see cref="Around"/> the area, in the order given.</summary>
    public static List<T> Near<T>(IEnumerable<T> items, Func<T, Geometry> geometry, Geometry area, double margin = MarginDegrees)
    {
        var box = Around(area, margin);
        return items.Where(i => geometry(i) is { IsEmpty: false } g && box.Intersects(g)).ToList();
    }

    /// <summary>The blocks of <paramref name="area"/> (all blocks the streets enclose when null).</summary>
    /// <exception cref="ArgumentException">No street can bound a block, or a street is not a line (BlockBuilder's reasons).</exception>
    public static BlockSet Build(
        IReadOnlyList<StreetLine> streets, Geometry? area, IReadOnlyList<Point>? incidents = null, IReadOnlyList<Geometry>? buildings = null,
        BlockOptions? options = null, IProgress<double>? progress = null)
    {
        var set = BlockBuilder.Build(streets, area, options ?? new BlockOptions(), progress);
        if (incidents is not null || buildings is not null)
            BlockBuilder.CountContents(set.Blocks, incidents ?? [], buildings ?? []);
        return set;
    }

    /// <summary>Attribute names of a block, as files and workload terms name them.</summary>
    public const string Id = "id", AreaM2 = "area_m2", PerimeterM = "perim_m", FrontageM = "frontage_m", Incidents = "incidents", Buildings = "buildings";

    /// <summary>An older name of <see cref="FrontageM"/>, still accepted in workload terms.</summary>
    public const string FrontageAlias = "street_m";

    /// <summary>
    /// The attributes of a block as written to block files and used for the workload, rounded as written (so a block
    /// read back from a file weighs exactly what it weighed when computed).
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Attributes(Block b) => new Dictionary<string, object?>
    {
        [Id] = b.Id,
        [AreaM2] = Math.Round(b.AreaSquareMeters, 2),
        [PerimeterM] = Math.Round(b.PerimeterMeters, 2),
        [FrontageM] = Math.Round(b.FrontageMeters, 2),
        [Incidents] = b.Incidents,
        [Buildings] = b.Buildings,
    };
}
