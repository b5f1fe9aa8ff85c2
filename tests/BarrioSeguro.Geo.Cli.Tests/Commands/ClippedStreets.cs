using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>
/// A street extract clipped the way a desktop GIS or PostGIS clips it: El Milagro's streets cut with GEOS
/// ST_Intersection (GDAL's SQLite dialect, SpatiaLite) to an area whose edges run along streets, so streets that only
/// touch it come out as Points and MultiPoints, and streets running along it as GeometryCollections of lines and points.
/// What the extract holds is read back with ogrinfo, never assumed.
/// </summary>
public sealed partial class ClippedStreets
{
    // The area: every other street-bounded face of the main streets within ~650 m of the centre of El Milagro.
    private const string Sql = """
        SELECT s.osm_way_id, s.name, s.highway, s.oneway, ST_Intersection(s.geometry, r.g) AS geometry
        FROM lines s,
         (SELECT ST_Union(f) AS g FROM
           (SELECT ST_GeometryN(p, n.value) AS f FROM
             (SELECT ST_Polygonize(u) AS p FROM (SELECT ST_UnaryUnion(ST_Collect(geometry)) AS u FROM lines
                WHERE highway IN ('residential','primary','secondary','tertiary','unclassified','living_street'))) q,
             (WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < 5000) SELECT value FROM c) n
            WHERE n.value % 2 = 0 AND n.value <= ST_NumGeometries(p)
              AND ST_Distance(ST_Centroid(ST_GeometryN(p, n.value)), MakePoint(-79.064, -8.027)) < 0.006)) r
        WHERE ST_Intersects(s.geometry, r.g)
        """;

    private ClippedStreets(string path, IReadOnlyList<string> types)
    {
        Path = path;
        Types = types;
    }

    /// <summary>The GeoJSON file written.</summary>
    public string Path { get; }

    /// <summary>The geometry type of each feature in file order, as ogrinfo reads it (e.g. "POINT", "GEOMETRYCOLLECTION").</summary>
    public IReadOnlyList<string> Types { get; }

    /// <summary>Numbers (from 1) of the features that hold no line: points and multipoints.</summary>
    public IReadOnlyList<int> Points => Numbers(t => t is "POINT" or "MULTIPOINT");

    /// <summary>Numbers (from 1) of the geometry collections.</summary>
    public IReadOnlyList<int> Collections => Numbers(t => t == "GEOMETRYCOLLECTION");

    /// <summary>Writes the extract into <paramref name="folder"/> as calles_recortadas.geojson.</summary>
    public static ClippedStreets Make(string folder)
    {
        var path = System.IO.Path.Combine(folder, "calles_recortadas.geojson");
        var streets = SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson");
        Run("ogr2ogr", "-f", "GeoJSON", path, streets, "-dialect", "sqlite", "-sql", Sql, "-nlt", "GEOMETRY", "-nln", "calles");
        var info = Run("ogrinfo", "-al", "-q", path);
        var types = GeometryLine().Matches(info).Select(m => m.Groups[1].Value).ToList();
        var lines = types.Count(t => t.Contains("LINESTRING", StringComparison.Ordinal));
        Assert.True(lines > 50, $"the clipped extract should be mostly lines, got {string.Join(", ", types)}");
        return new ClippedStreets(path, types);
    }

    private List<int> Numbers(Func<string, bool> match) =>
        Types.Select((t, i) => (t, i)).Where(x => match(x.t)).Select(x => x.i + 1).ToList();

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    // ogrinfo prints each feature's geometry as an indented WKT line after its attributes.
    [GeneratedRegex(@"^  (POINT|MULTIPOINT|LINESTRING|MULTILINESTRING|POLYGON|MULTIPOLYGON|GEOMETRYCOLLECTION) ?[ (E]", RegexOptions.Multiline)]
    private static partial Regex GeometryLine();
}
