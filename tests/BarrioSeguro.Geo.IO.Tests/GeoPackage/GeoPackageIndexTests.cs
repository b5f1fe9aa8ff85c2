using System.Diagnostics;
using BarrioSeguro.Geo.IO.Tests.Support;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.GeoPackage;

/// <summary>Our GeoPackages pass GDAL's validate_gpkg.py with no error and no warning, with an R-tree GDAL uses.</summary>
public class GeoPackageIndexTests
{
    private const string Validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";

    [Theory]
    [InlineData(4326)]
    [InlineData(32717)]
    public void GDALs_validator_accepts_a_layer_of_lines_points_and_a_3D_point_with_no_warning(int target)
    {
        using var dir = new TempDir();
        var set = VectorFile.Read(dir.Write("in.geojson", Samples.StreetsAndStation));
        var f = new GeometryFactory(new PrecisionModel(), 4326);
        var features = set.Features.Append(new Feature(f.CreatePoint(new CoordinateZ(-79.0306, -8.0416, 31.5)), new AttributesTable { { "nombre", "Torre" } }))
            .Append(new Feature(null, new AttributesTable { { "nombre", "Sin geometría" } })).ToList();
        VectorFile.Write(dir.File("capa.gpkg"), features, 4326, target);

        var (exit, output) = Python(Validator, dir.File("capa.gpkg"));
        Assert.True(exit == 0 && output.Trim().Length == 0, $"validate_gpkg.py exited {exit}: {output}");
    }

    [Fact]
    public void The_R_tree_holds_one_2D_box_per_geometry_and_GDAL_uses_it()
    {
        using var dir = new TempDir();
        var set = VectorFile.Read(dir.Write("in.geojson", Samples.StreetsAndStation));
        VectorFile.Write(dir.File("capa.gpkg"), set.Features, 4326, 4326);

        using (var db = new SqliteConnection($"Data Source={dir.File("capa.gpkg")};Mode=ReadOnly;Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM rtree_capa_geom";
            Assert.Equal(3L, (long)cmd.ExecuteScalar()!);
            cmd.CommandText = "SELECT scope FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' AND table_name = 'capa' AND column_name = 'geom'";
            Assert.Equal("write-only", cmd.ExecuteScalar());
            // Flags byte: little-endian, envelope indicator 1 (min/max x, min/y): no Z or M for 2D data.
            cmd.CommandText = "SELECT geom FROM capa";
            using var r = cmd.ExecuteReader();
            while (r.Read()) Assert.Equal(0b0000_0011, ((byte[])r.GetValue(0))[3]);
        }

        var info = Gdal.OgrInfo("-q", "-sql", "SELECT HasSpatialIndex('capa', 'geom')", dir.File("capa.gpkg"));
        Assert.Contains("HasSpatialIndex (Integer) = 1", info);
        var found = Gdal.OgrInfo("-q", "-spat", "-79.0306", "-8.0416", "-79.0304", "-8.0414", dir.File("capa.gpkg"), "capa");
        Assert.Contains("Comisaría El Milagro", found);
        // GDAL keeps the index when it edits the file (the triggers run in GDAL, which has the ST_ functions).
        Gdal.Run("ogrinfo", [dir.File("capa.gpkg"), "-sql", "DELETE FROM capa WHERE nombre = 'Avenida Perú'"]);
        var (exit, output) = Python(Validator, dir.File("capa.gpkg"));
        Assert.True(exit == 0 && output.Trim().Length == 0, $"validate_gpkg.py exited {exit}: {output}");
        Assert.Equal(2, VectorFile.Read(dir.File("capa.gpkg")).Count);
    }

    private static (int Exit, string Output) Python(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
