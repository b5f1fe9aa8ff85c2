using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>Exports are read back by GDAL, the independent oracle every desktop GIS shares.</summary>
[Collection(ApiCollection.Name)]
public class ExportEndpointsTests(ApiFixture api)
{
    [SkippableFact]
    public async Task Streets_as_a_shapefile_zip_open_in_GDAL_as_UTM_17S_with_accents_intact()
    {
        var response = await api.Client().GetAsync("/api/collections/streets/export?format=shapefile&crs=EPSG:32717");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        var folder = Directory.CreateTempSubdirectory("barrio-export-test-");
        try
        {
            var zip = Path.Combine(folder.FullName, "streets.zip");
            await File.WriteAllBytesAsync(zip, await response.Content.ReadAsByteArrayAsync());
            using (var archive = ZipFile.OpenRead(zip))
            {
                var names = archive.Entries.Select(e => Path.GetExtension(e.Name)).ToHashSet();
                Assert.Superset(new HashSet<string> { ".shp", ".shx", ".dbf", ".prj", ".cpg" }, names);
                using var prj = new StreamReader(archive.Entries.Single(e => e.Name.EndsWith(".prj", StringComparison.Ordinal)).Open());
                Assert.StartsWith("PROJCS[\"WGS_1984_UTM_Zone_17S\",GEOGCS[\"GCS_WGS_1984\"", await prj.ReadToEndAsync());
            }

            var summary = Ogrinfo("-so", "-al", "/vsizip/" + zip);
            Assert.Contains("WGS 84 / UTM zone 17S", summary);
            Assert.Contains("Feature Count: 1060", summary);
            var features = Ogrinfo("-al", "-q", "/vsizip/" + zip);
            Assert.Contains("Jirón Argentina", features);
            Assert.Contains("Óvalo El Milagro", features);
        }
        finally
        {
            folder.Delete(true);
        }
    }

    [SkippableFact]
    public async Task Stations_as_GeoPackage_default_to_the_UTM_zone_of_the_data()
    {
        var response = await api.Client().GetAsync("/api/collections/stations/export?format=geopackage");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var file = Path.Combine(Path.GetTempPath(), $"barrio-stations-{Guid.NewGuid():N}.gpkg");
        try
        {
            await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
            var summary = Ogrinfo("-so", "-al", file);
            Assert.Contains("WGS 84 / UTM zone 17S", summary);
            Assert.Contains("Feature Count: 29", summary);
            Assert.Contains("COMISARÍA", Ogrinfo("-al", "-q", file).ToUpperInvariant());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Ogrinfo(params string[] args)
    {
        var psi = new ProcessStartInfo("ogrinfo", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("ogrinfo (package gdal-bin) is needed.");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ogrinfo {string.Join(' ', args)} failed: {error}");
        return output;
    }
}
