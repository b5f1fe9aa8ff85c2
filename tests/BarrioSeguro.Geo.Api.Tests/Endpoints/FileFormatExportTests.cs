using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>The formats of issue 14 item 7 through the service's export path, read back by GDAL.</summary>
[Collection(ApiCollection.Name)]
public class FileFormatExportTests(ApiFixture api)
{
    [SkippableFact]
    public async Task Streets_as_FlatGeobuf_open_in_GDAL_in_UTM_17S_with_every_feature_and_a_working_index()
    {
        var response = await api.Client().GetAsync("/api/collections/streets/export?format=flatgeobuf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/flatgeobuf", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("_epsg32717.fgb", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var file = Path.Combine(Path.GetTempPath(), $"barrio-streets-{Guid.NewGuid():N}.fgb");
        try
        {
            await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
            var summary = GdalTool.Run("ogrinfo", ["-so", "-al", file]);
            Assert.Contains("WGS 84 / UTM zone 17S", summary);
            Assert.Contains("Feature Count: 1060", summary);
            Assert.Contains("Jirón Argentina", GdalTool.Run("ogrinfo", ["-al", "-q", file]));
            // A spatial filter through the R-tree (the middle of the extent) finds a part of the streets, not none and not all.
            var extent = System.Text.RegularExpressions.Regex.Match(summary, @"Extent: \(([\d.]+), ([\d.]+)\) - \(([\d.]+), ([\d.]+)\)");
            var (minX, minY, maxX, maxY) = (double.Parse(extent.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(extent.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(extent.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(extent.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture));
            string At(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            var (w, h) = ((maxX - minX) / 4, (maxY - minY) / 4);
            var part = GdalTool.Run("ogrinfo", ["-so", "-al", "-spat", At(minX + w), At(minY + h), At(maxX - w), At(maxY - h), file]);
            var count = int.Parse(System.Text.RegularExpressions.Regex.Match(part, @"Feature Count: (\d+)").Groups[1].Value);
            Assert.InRange(count, 1, 1059);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task A_collection_names_its_FlatGeobuf_download_and_an_exported_GeoPackage_passes_GDALs_validator()
    {
        using var doc = JsonDocument.Parse(await api.Client().GetStringAsync("/api/collections/stations"));
        Assert.Contains(doc.RootElement.GetProperty("links").EnumerateArray(),
            l => l.GetProperty("type").GetString() == "application/flatgeobuf" && l.GetProperty("href").GetString()!.EndsWith("/export?format=flatgeobuf"));

        var response = await api.Client().GetAsync("/api/collections/stations/export?format=geopackage");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var file = Path.Combine(Path.GetTempPath(), $"barrio-stations-{Guid.NewGuid():N}.gpkg");
        try
        {
            await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
            var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py");
            psi.ArgumentList.Add(file);
            using var p = Process.Start(psi)!;
            var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0 && output.Trim().Length == 0, $"validate_gpkg.py exited {p.ExitCode}: {output}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
