using System.Text.Json;
using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Blocks;

/// <summary>Test data for blocks: hand-made cases drawn in metres near El Milagro, and the repository's geodata/.</summary>
public static class BlockSamples
{
    private static readonly WKTReader Wkt = new();

    /// <summary>Local metres (0,0) = this point of UTM 17S, about (-79.06, -8.02).</summary>
    public const double OriginX = 715_000, OriginY = 9_113_000;

    /// <summary>A geometry drawn in local metres, returned in lon/lat.</summary>
    public static Geometry Metres(string wkt)
    {
        var g = Wkt.Read(wkt);
        var moved = g.Copy();
        moved.Apply(new Shift(OriginX, OriginY));
        moved.GeometryChanged();
        return Crs.Transform(moved, 32717, Crs.Wgs84);
    }

    public static StreetLine Street(string wkt, string @class = "residential", int layer = 0) => new(Metres(wkt), @class, layer);

    /// <summary>A # of four streets crossing without shared nodes: one 100 m × 100 m block in the middle.</summary>
    public static List<StreetLine> Hash() =>
    [
        Street("LINESTRING(-50 0, 150 0)"),
        Street("LINESTRING(-50 100, 150 100)"),
        Street("LINESTRING(0 -50, 0 150)"),
        Street("LINESTRING(100 -50, 100 150)"),
    ];

    private sealed class Shift(double dx, double dy) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;
        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, seq.GetX(i) + dx);
            seq.SetY(i, seq.GetY(i) + dy);
        }
    }

    /// <summary>No overlaps, no gaps, every block a valid polygon.</summary>
    public static void AssertTiles(IReadOnlyList<Block> blocks)
    {
        var geometries = blocks.Select(b => (Geometry)b.Geometry).ToArray();
        Assert.All(blocks, b => Assert.True(b.Geometry.IsValid, $"block {b.Id} is not valid"));
        var invalid = CoverageValidator.Validate(geometries).Select((g, i) => (g, i)).Where(x => x.g is { IsEmpty: false }).ToList();
        if (invalid.Count > 0)
            Assert.Fail($"{invalid.Count} blocks do not fit their neighbours, e.g. {blocks[invalid[0].i].Id}: {invalid[0].g}");
        var gaps = CoverageGapFinder.FindGaps(geometries, 1e-5); // about 1 m
        Assert.True(gaps is null || gaps.IsEmpty, $"gaps between blocks: {gaps}");
    }

    // ---- geodata/ ----

    public static string PathOf(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, "repository root (BarrioSeguro.Geo.sln) not found");
        return Path.Combine(dir!.FullName, "geodata", relative);
    }

    /// <summary>The features of a GeoJSON file: geometry and string properties. Enough for the sample data.</summary>
    public static List<(Geometry Geometry, Dictionary<string, string?> Properties)> ReadGeoJson(string relative)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(PathOf(relative)));
        var result = new List<(Geometry, Dictionary<string, string?>)>();
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var props = new Dictionary<string, string?>();
            if (f.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
                foreach (var kv in p.EnumerateObject())
                    props[kv.Name] = kv.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => kv.Value.GetString(),
                        _ => kv.Value.GetRawText(),
                    };
            result.Add((ReadGeometry(f.GetProperty("geometry")), props));
        }
        return result;
    }

    public static List<StreetLine> OsmStreets(string relative) =>
        ReadGeoJson(relative).Select(f => new StreetLine(f.Geometry, f.Properties.GetValueOrDefault("highway") ?? "unclassified",
            StreetLine.LayerFromOsm(f.Properties.GetValueOrDefault("layer"), f.Properties.GetValueOrDefault("bridge"),
                f.Properties.GetValueOrDefault("tunnel")))).ToList();

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Crs.Wgs84);

    private static Geometry ReadGeometry(JsonElement g)
    {
        var c = g.GetProperty("coordinates");
        Coordinate Pos(JsonElement e) => new(e[0].GetDouble(), e[1].GetDouble());
        Coordinate[] Seq(JsonElement e) => e.EnumerateArray().Select(Pos).ToArray();
        Polygon Poly(JsonElement e)
        {
            var rings = e.EnumerateArray().Select(r => Factory.CreateLinearRing(Seq(r))).ToArray();
            return Factory.CreatePolygon(rings[0], rings[1..]);
        }
        return g.GetProperty("type").GetString() switch
        {
            "Point" => Factory.CreatePoint(Pos(c)),
            "LineString" => Factory.CreateLineString(Seq(c)),
            "MultiLineString" => Factory.CreateMultiLineString(c.EnumerateArray().Select(l => Factory.CreateLineString(Seq(l))).ToArray()),
            "Polygon" => Poly(c),
            "MultiPolygon" => Factory.CreateMultiPolygon(c.EnumerateArray().Select(Poly).ToArray()),
            var t => throw new NotSupportedException(t),
        };
    }
}
