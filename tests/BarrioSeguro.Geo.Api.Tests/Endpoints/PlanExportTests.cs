using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Data.Accounts;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// A kept plan's layers exported in every format and read back by GDAL (count, geometry type, CRS, a value), the UTM
/// coordinates checked against PostGIS's ST_Transform of the kept geometry.
/// </summary>
[Collection(ApiCollection.Name)]
public partial class PlanExportTests(ApiFixture api)
{
    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    private async Task<int> PlanAsync(int sectors, bool withRoutesAndCoverage)
    {
        var id = await api.MilagroIdAsync();
        var plan = await Body(await api.Client().PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors, seed = 3 }));
        var planId = plan.GetProperty("id").GetInt32();
        if (withRoutesAndCoverage)
        {
            var routes = await api.Client().PostAsJsonAsync($"/api/plans/{planId}/routes", new { mode = "foot", shiftHours = 8, seed = 1, hotspotsPerSector = 1, cycleDays = 1 });
            Assert.True(routes.StatusCode == HttpStatusCode.Created, await routes.Content.ReadAsStringAsync());
            var coverage = await api.Client().PostAsJsonAsync($"/api/plans/{planId}/coverage", new { mode = "foot", minutes = 5 });
            Assert.True(coverage.StatusCode == HttpStatusCode.Created, await coverage.Content.ReadAsStringAsync());
        }
        return planId;
    }

    private async Task<(string File, HttpResponseMessage Response)> DownloadAsync(string url, TempFolder folder)
    {
        var response = await api.Client().GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var name = response.Content.Headers.ContentDisposition!.FileName!.Trim('"');
        var file = Path.Combine(folder.Path, name);
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        return (file, response);
    }

    [SkippableFact]
    public async Task Sectors_as_a_UTM_shapefile_match_PostGIS_and_as_GeoJSON_KML_CSV_and_GeoPackage_keep_count_and_values()
    {
        var planId = await PlanAsync(3, withRoutesAndCoverage: false);
        using var folder = new TempFolder();

        var (zip, response) = await DownloadAsync($"/api/plans/{planId}/export?layer=sectors&format=shapefile&crs=EPSG:32717", folder);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"plan{planId}_sectors_epsg32717.zip", Path.GetFileName(zip));
        var info = Ogr("ogrinfo", "-so", "-al", "/vsizip/" + zip);
        Assert.Contains("WGS 84 / UTM zone 17S", info);
        Assert.Contains("Feature Count: 3", info);
        Assert.Contains("Geometry: Polygon", info);
        Assert.Contains("S2", Ogr("ogrinfo", "-al", "-q", "/vsizip/" + zip));

        // The extent GDAL reads is the one PostGIS gives the kept sectors moved to UTM 17S.
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(ST_Transform(geometry, 32717)) AS e FROM plan_sectors WHERE plan_id = @p) x", connection);
            cmd.Parameters.AddWithValue("p", planId);
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            var extent = Extent(info);
            for (var i = 0; i < 4; i++) Assert.Equal(reader.GetDouble(i), extent[i], 0.01);
        }

        var (gpkg, _) = await DownloadAsync($"/api/plans/{planId}/export?layer=sectors&format=gpkg", folder);
        Assert.EndsWith("_epsg32717.gpkg", gpkg); // default: the plan's UTM zone
        var gpkgInfo = Ogr("ogrinfo", "-al", gpkg);
        Assert.Contains("Feature Count: 3", gpkgInfo);
        Assert.Contains("contiguous (Integer(Boolean)) = 1", gpkgInfo);

        var (geojson, _) = await DownloadAsync($"/api/plans/{planId}/export?layer=sectors&format=geojson", folder);
        Assert.Contains("Feature Count: 3", Ogr("ogrinfo", "-so", "-al", geojson));

        var (kml, kmlResponse) = await DownloadAsync($"/api/plans/{planId}/export?layer=sectors&format=kml", folder);
        Assert.Equal("application/vnd.google-earth.kml+xml", kmlResponse.Content.Headers.ContentType!.MediaType);
        var kmlInfo = Ogr("ogrinfo", "-al", kml);
        Assert.Contains("Feature Count: 3", kmlInfo);
        Assert.Contains("label (String) = S1", kmlInfo);
        Assert.Contains("MULTIPOLYGON (((-79.", kmlInfo);

        var (csv, _) = await DownloadAsync($"/api/plans/{planId}/export?layer=sectors&format=csv&crs=EPSG:32717", folder);
        var csvInfo = Ogr("ogrinfo", "-al", "-oo", "AUTODETECT_TYPE=YES", csv);
        Assert.Contains("Feature Count: 3", csvInfo);
        Assert.Contains("workload: Real", csvInfo);
        Assert.Matches(@"MULTIPOLYGON \(\(\(7\d{5}\.", csvInfo); // UTM eastings of Trujillo
    }

    [SkippableFact]
    public async Task Blocks_routes_and_coverage_of_a_plan_export_as_GDAL_reads_them()
    {
        var planId = await PlanAsync(2, withRoutesAndCoverage: true);
        using var folder = new TempFolder();
        var sectors = await Body(await api.Client().GetAsync($"/api/plans/{planId}/sectors"));
        var blockCount = sectors.GetProperty("features").EnumerateArray().Sum(f => f.GetProperty("properties").GetProperty("blocks").GetInt32());

        var (blocks, _) = await DownloadAsync($"/api/plans/{planId}/export?layer=blocks&format=geopackage&crs=EPSG:4326", folder);
        Assert.Equal($"plan{planId}_blocks_epsg4326.gpkg", Path.GetFileName(blocks));
        var blockInfo = Ogr("ogrinfo", "-al", blocks);
        Assert.Contains($"Feature Count: {blockCount}", blockInfo);
        Assert.Contains("ID[\"EPSG\",4326]", blockInfo);
        Assert.Contains("label (String) = S2", blockInfo);

        var list = await Body(await api.Client().GetAsync($"/api/plans/{planId}/routes"));
        var tracks = list.GetProperty("features").EnumerateArray().Count(f => f.GetProperty("properties").GetProperty("kind").GetString() == "track");
        var shift = list.GetProperty("features")[0].GetProperty("properties").GetProperty("shift").GetString()!;
        Assert.Equal(2, tracks);
        var (gpx, gpxResponse) = await DownloadAsync($"/api/plans/{planId}/export?layer=routes&format=gpx", folder);
        Assert.Equal("application/gpx+xml", gpxResponse.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Feature Count: 2", Ogr("ogrinfo", "-so", gpx, "tracks"));
        var (entry, _) = await DownloadAsync($"/api/plans/{planId}/export?layer=routes&format=shapefile&day=1&shift={Uri.EscapeDataString(shift)}", folder);
        Assert.Contains($"_routes_dia1_", Path.GetFileName(entry));
        Assert.Contains("Feature Count: 2", Ogr("ogrinfo", "-so", "/vsizip/" + entry, $"{Path.GetFileNameWithoutExtension(entry)}_lines"));

        var (coverage, _) = await DownloadAsync($"/api/plans/{planId}/export?layer=coverage&format=kml", folder);
        var coverageInfo = Ogr("ogrinfo", "-al", coverage);
        Assert.Contains("status (String) = covered", coverageInfo);
        Assert.Contains("mode (String) = foot", coverageInfo);
    }

    [SkippableTheory]
    [InlineData("layer=parks", HttpStatusCode.BadRequest, "layer")]
    [InlineData("format=dwg", HttpStatusCode.BadRequest, "format")]
    [InlineData("layer=sectors&format=gpx", HttpStatusCode.BadRequest, "format")]
    [InlineData("crs=EPSG:9999", HttpStatusCode.BadRequest, "crs")]
    [InlineData("format=kml&crs=EPSG:32717", HttpStatusCode.BadRequest, "crs")]
    [InlineData("layer=sectors&day=1&shift=tarde", HttpStatusCode.BadRequest, "day")]
    [InlineData("layer=routes&day=1", HttpStatusCode.UnprocessableEntity, null)]
    [InlineData("layer=routes", HttpStatusCode.NotFound, null)]
    [InlineData("layer=coverage", HttpStatusCode.NotFound, null)]
    public async Task A_bad_or_empty_export_gets_a_problem_naming_the_parameter(string query, HttpStatusCode status, string? parameter)
    {
        var planId = await PlanAsync(2, withRoutesAndCoverage: false);
        var response = await api.Client().GetAsync($"/api/plans/{planId}/export?{query}");
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Body(response);
        if (parameter is not null) Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [SkippableFact]
    public async Task The_export_is_read_as_the_other_plan_reads_are()
    {
        var planId = await PlanAsync(2, withRoutesAndCoverage: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.AnonymousClient().GetAsync($"/api/plans/{planId}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client().GetAsync("/api/plans/999999/export")).StatusCode);
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var districts = new NpgsqlCommand(
            "SELECT ubigeo FROM districts WHERE ubigeo <> (SELECT n.district_ubigeo FROM neighborhoods n JOIN sector_plans p ON p.neighborhood_id = n.id WHERE p.id = @id) ORDER BY ubigeo LIMIT 1", connection);
        districts.Parameters.AddWithValue("id", planId);
        var outsider = await api.ClientAs(Role.Gis, (string)(await districts.ExecuteScalarAsync())!);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/api/plans/{planId}/export")).StatusCode);
        var reader = await api.ClientAs(Role.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/plans/{planId}/export?format=csv")).StatusCode);
    }

    [SkippableFact]
    public async Task Collections_export_as_KML_and_CSV_GDAL_reads()
    {
        using var folder = new TempFolder();
        // 29 from the sample, and what the edit tests of the shared service added.
        var stations = (await ApiFixture.JsonOf(await api.Client().GetAsync("/api/collections/stations/items?limit=1"))).GetProperty("numberMatched").GetInt32();
        var (kml, _) = await DownloadAsync("/api/collections/stations/export?format=kml", folder);
        Assert.Equal("stations_epsg4326.kml", Path.GetFileName(kml));
        Assert.Contains($"Feature Count: {stations}", Ogr("ogrinfo", "-so", "-al", kml));
        var (csv, _) = await DownloadAsync("/api/collections/stations/export?format=csv", folder);
        Assert.StartsWith("lon,lat,", File.ReadLines(csv).First());
        Assert.Contains($"Feature Count: {stations}", Ogr("ogrinfo", "-so", "-al", "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", csv));
        var gpx = await api.Client().GetAsync("/api/collections/stations/export?format=gpx&lang=en");
        Assert.Equal(HttpStatusCode.BadRequest, gpx.StatusCode);
        Assert.Contains("GPX is for routes", (await Body(gpx)).GetProperty("detail").GetString());
        Assert.Equal("export.gpx_for_routes", (await Body(gpx)).GetProperty("code").GetString());
    }

    /// <summary>QGIS (Debian's qgis and python3-qgis, headless) opens what a GIS user downloads of a plan.</summary>
    [SkippableFact]
    public async Task QGIS_opens_the_plans_shapefile_and_GeoPackage_in_the_UTM_zone_with_every_sector()
    {
        var planId = await PlanAsync(3, withRoutesAndCoverage: false);
        using var folder = new TempFolder();
        var (zip, _) = await DownloadAsync($"/api/plans/{planId}/export?layer=sectors&format=shapefile", folder);
        var (gpkg, _) = await DownloadAsync($"/api/plans/{planId}/export?layer=blocks&format=geopackage", folder);
        var sectors = await Body(await api.Client().GetAsync($"/api/plans/{planId}/sectors"));
        var blockCount = sectors.GetProperty("features").EnumerateArray().Sum(f => f.GetProperty("properties").GetProperty("blocks").GetInt32());

        var script = Path.Combine(folder.Path, "open.py");
        await File.WriteAllTextAsync(script, """
            import json, os, sys
            from qgis.core import QgsApplication, QgsVectorLayer
            app = QgsApplication([], False)
            app.initQgis()
            out = []
            for path in sys.argv[1:]:
                layer = QgsVectorLayer(path, "export", "ogr")
                out.append({"valid": layer.isValid(), "count": layer.featureCount() if layer.isValid() else -1,
                            "crs": layer.crs().authid(), "fields": [f.name() for f in layer.fields()]})
            sys.stdout.write(json.dumps(out) + "\n")
            sys.stdout.flush()
            # QGIS 3.22's Python bindings crash while tearing down (exitQgis or interpreter exit): leave at once.
            os._exit(0)
            """);
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("/vsizip/" + zip);
        psi.ArgumentList.Add(gpkg);
        psi.Environment["QT_QPA_PLATFORM"] = "offscreen";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"QGIS (python3-qgis) exited {p.ExitCode}: {await stderr} {await stdout}");
        using var result = JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]);
        var (shp, blocks) = (result.RootElement[0], result.RootElement[1]);
        Assert.True(shp.GetProperty("valid").GetBoolean());
        Assert.Equal(3, shp.GetProperty("count").GetInt32());
        Assert.Equal("EPSG:32717", shp.GetProperty("crs").GetString());
        Assert.Contains("label", shp.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.True(blocks.GetProperty("valid").GetBoolean());
        Assert.Equal(blockCount, blocks.GetProperty("count").GetInt32());
        Assert.Equal("EPSG:32717", blocks.GetProperty("crs").GetString());
        Assert.Contains("sector", blocks.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    private static double[] Extent(string ogrinfo)
    {
        var m = ExtentLine().Match(ogrinfo);
        Assert.True(m.Success, ogrinfo);
        return Enumerable.Range(1, 4).Select(i => double.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture)).ToArray();
    }

    [GeneratedRegex(@"Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)")]
    private static partial Regex ExtentLine();

    internal static string Ogr(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {stderr.Result}");
        return stdout.Result;
    }

    internal sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("barrio-plan-export-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
