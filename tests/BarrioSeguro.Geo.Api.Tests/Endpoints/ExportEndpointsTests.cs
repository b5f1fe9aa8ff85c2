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

    private async Task<int> StationCount() =>
        (await ApiFixture.JsonOf(await api.Client().GetAsync("/api/collections/stations/items?limit=1"))).GetProperty("numberMatched").GetInt32();

    // Any code PROJ knows, the Peruvian ones the service refused before PROJ among them: GDAL reads the system back.
    [SkippableTheory]
    [InlineData("EPSG:31977", "SIRGAS 2000 / UTM zone 17S")]
    [InlineData("EPSG:24877", "PSAD56 / UTM zone 17S")]
    [InlineData("EPSG:5387", "Peru96 / UTM zone 18S")]
    public async Task Stations_as_GeoPackage_in_a_Peruvian_system_open_in_GDAL_in_it(string crs, string name)
    {
        var response = await api.Client().GetAsync($"/api/collections/stations/export?format=geopackage&crs={crs}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var file = Path.Combine(Path.GetTempPath(), $"barrio-stations-{Guid.NewGuid():N}.gpkg");
        try
        {
            await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
            var summary = Ogrinfo("-so", "-al", file);
            Assert.Contains(name, summary);
            Assert.Contains($"Feature Count: {await StationCount()}", summary); // 29 from the sample, and what edit tests added
        }
        finally
        {
            File.Delete(file);
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
            Assert.Contains($"Feature Count: {await StationCount()}", summary); // 29 from the sample, and what edit tests added
            Assert.Contains("COMISARÍA", Ogrinfo("-al", "-q", file).ToUpperInvariant());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task A_description_over_254_bytes_exported_as_a_shapefile_is_named_in_a_warning_header_and_GDAL_reads_the_zip()
    {
        var client = api.Client();
        var name = $"Export {Guid.NewGuid():N}"[..24];
        var description = string.Concat(Enumerable.Repeat("Sector de prueba al norte. ", 12)).TrimEnd(); // 323 bytes
        const string ring = "[[[-79.131,-8.131],[-79.127,-8.131],[-79.127,-8.127],[-79.131,-8.127],[-79.131,-8.131]]]";
        var feature = $$$"""{"type":"Feature","properties":{"name":"{{{name}}}","description":"{{{description}}}"},"geometry":{"type":"Polygon","coordinates":{{{ring}}}}}""";
        var created = await client.PostAsync("/api/neighborhoods", new StringContent(feature, System.Text.Encoding.UTF8, "application/geo+json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = created.Headers.Location!.ToString().Split('/').Last();
        var folder = Directory.CreateTempSubdirectory("barrio-export-test-");
        try
        {
            const string url = "/api/collections/neighborhoods/export?format=shapefile&bbox=-79.1305,-8.1305,-79.1275,-8.1275";
            var response = await client.GetAsync(url + "&lang=en");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var warnings = response.Headers.GetValues("X-Barrio-Warning").Select(Uri.UnescapeDataString).ToList();
            // The header names the feature and the field, and by how much it was cut.
            Assert.Contains($"description of feature #1 (id {id}) cut from {description.Length} to 254 bytes (a DBF text field holds 254)", warnings);
            Assert.Contains(warnings, w => w.StartsWith("field names cut to 10 bytes:", StringComparison.Ordinal) && w.Contains("description → descriptio"));
            Assert.Equal(warnings.Count.ToString(), Assert.Single(response.Headers.GetValues("X-Barrio-Warning-Count")));
            // Each warning's note goes with it (same order), as {code, args} JSON: a viewer says it in its own language.
            var notes = response.Headers.GetValues("X-Barrio-Warning-Note").Select(n => System.Text.Json.JsonDocument.Parse(Uri.UnescapeDataString(n)).RootElement).ToList();
            Assert.Equal(warnings.Count, notes.Count);
            var cut = notes[warnings.FindIndex(w => w.StartsWith("description of feature", StringComparison.Ordinal))];
            Assert.Equal("io.text_cut_id", cut.GetProperty("code").GetString());
            Assert.Equal(description.Length, cut.GetProperty("args").GetProperty("from").GetInt32());
            Assert.Equal(id, cut.GetProperty("args").GetProperty("id").GetString());
            Assert.Contains(notes, n => n.GetProperty("code").GetString() == "io.fields_renamed");
            Assert.All(response.Headers.GetValues("X-Barrio-Warning").Concat(response.Headers.GetValues("X-Barrio-Warning-Note")),
                h => Assert.True(h.All(ch => ch is >= ' ' and <= '~'), h));
            // In Spanish (the default) the same warnings say it in Spanish.
            var spanish = (await client.GetAsync(url)).Headers.GetValues("X-Barrio-Warning").Select(Uri.UnescapeDataString).ToList();
            Assert.Contains($"description de la entidad n.º 1 (id {id}) recortado de {description.Length} a 254 bytes (un campo de texto DBF guarda 254 bytes)", spanish);
            Assert.Contains(spanish, w => w.StartsWith("nombres de campo recortados a 10 bytes:", StringComparison.Ordinal));

            var zip = Path.Combine(folder.FullName, "neighborhoods.zip");
            await File.WriteAllBytesAsync(zip, await response.Content.ReadAsByteArrayAsync());
            Assert.Contains("Feature Count: 1", Ogrinfo("-so", "-al", "/vsizip/" + zip));
            var read = Ogrinfo("-al", "-q", "/vsizip/" + zip);
            Assert.Contains($"descriptio (String) = {description[..254]}", read);
            Assert.DoesNotContain(description[..255], read);
        }
        finally
        {
            folder.Delete(true);
            await using var connection = new Npgsql.NpgsqlConnection(api.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("DELETE FROM neighborhoods WHERE name = @n", connection);
            cmd.Parameters.AddWithValue("n", name);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    [SkippableFact]
    public async Task An_export_the_format_holds_whole_sends_no_warning()
    {
        var response = await api.Client().GetAsync("/api/collections/stations/export?format=geopackage");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Barrio-Warning"));
        Assert.False(response.Headers.Contains("X-Barrio-Warning-Count"));
    }

    private static string Ogrinfo(params string[] args) => GdalTool.Run("ogrinfo", args);
}
