using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Data.Accounts;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// issue 13.3: GET /api/overview. El Milagro (La Libertad, 13) with a plan and a coverage, and a neighbourhood of the
/// test's own in a district of Lima (15), whose figures the database's own SQL checks.
/// </summary>
[Collection(ApiCollection.Name)]
public class OverviewEndpointsTests(ApiFixture api)
{
    /// <summary>Miraflores, Lima. Its boundary is the one loaded when the districts are; else a made-up square the test adds.</summary>
    public const string LimaUbigeo = "150122";

    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var c = new NpgsqlConnection(api.ConnectionString);
        await c.OpenAsync();
        return c;
    }

    /// <summary>The Lima neighbourhood (created once per database): a 0.004° square at a point inside the district.</summary>
    private async Task<int> LimaNeighborhoodAsync(string name = "Vista nacional Lima (prueba)", double dx = 0)
    {
        await using var db = await OpenAsync();
        await using (var add = new NpgsqlCommand("""
            INSERT INTO districts (ubigeo, name, province, department, boundary, source)
            VALUES (@u, 'MIRAFLORES', 'LIMA', 'LIMA', ST_Multi(ST_MakeEnvelope(-77.05, -12.13, -77.01, -12.10, 4326)), 'made up by OverviewEndpointsTests')
            ON CONFLICT (ubigeo) DO NOTHING
            """, db))
        {
            add.Parameters.AddWithValue("u", LimaUbigeo);
            await add.ExecuteNonQueryAsync();
        }
        await using (var find = new NpgsqlCommand("SELECT id FROM neighborhoods WHERE name = @n", db))
        {
            find.Parameters.AddWithValue("n", name);
            if (await find.ExecuteScalarAsync() is int id) return id;
        }
        double x, y;
        await using (var at = new NpgsqlCommand("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(boundary) p FROM districts WHERE ubigeo = @u) s", db))
        {
            at.Parameters.AddWithValue("u", LimaUbigeo);
            await using var r = await at.ExecuteReaderAsync();
            await r.ReadAsync();
            (x, y) = (r.GetDouble(0) + dx, r.GetDouble(1));
        }
        string P(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
        var ring = $"[[{P(x - .002)},{P(y - .002)}],[{P(x + .002)},{P(y - .002)}],[{P(x + .002)},{P(y + .002)}],[{P(x - .002)},{P(y + .002)}],[{P(x - .002)},{P(y - .002)}]]";
        var body = "{\"type\":\"Feature\",\"properties\":{\"name\":\"" + name + "\",\"districtUbigeo\":\"" + LimaUbigeo
            + "\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" + ring + "]}}";
        var created = await api.Client().PostAsync("/api/neighborhoods", new StringContent(body, Encoding.UTF8, "application/geo+json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await Body(created)).GetProperty("properties").GetProperty("id").GetInt32();
    }

    /// <summary>A plan of El Milagro with a foot coverage of 5 min: the kept coverage rows (one per shift) answered.</summary>
    private async Task<(int PlanId, JsonElement Coverage)> MilagroCoverageAsync()
    {
        var id = await api.MilagroIdAsync();
        await api.Client().PostAsync($"/api/neighborhoods/{id}/blocks", null);
        var plan = await Body(await api.Client().PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 3, seed = 5 }));
        var planId = plan.GetProperty("id").GetInt32();
        var response = await api.Client().PostAsJsonAsync($"/api/plans/{planId}/coverage", new { mode = "foot", minutes = 5 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (planId, await Body(response));
    }

    private static JsonElement Row(JsonElement overview, int id) =>
        overview.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("id").GetInt32() == id);

    [SkippableFact]
    public async Task A_deleted_neighbourhood_leaves_the_overview_and_comes_back_when_restored()
    {
        var id = await LimaNeighborhoodAsync("Vista nacional borrado (prueba)", dx: 0.006);
        async Task<bool> Listed() => (await Body(await api.Client().GetAsync("/api/overview"))).GetProperty("rows").EnumerateArray()
            .Any(r => r.GetProperty("id").GetInt32() == id);
        // A delete keeps the version, so the same ETag restores it.
        var etag = (await api.Client().GetAsync($"/api/neighborhoods/{id}")).Headers.ETag!.Tag;
        async Task<HttpResponseMessage> Send(HttpMethod method, string url)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            return await api.Client().SendAsync(request);
        }
        Assert.True(await Listed());
        var deleted = await Send(HttpMethod.Delete, $"/api/neighborhoods/{id}");
        Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
        Assert.False(await Listed());
        var restored = await Send(HttpMethod.Post, $"/api/neighborhoods/{id}/restore");
        Assert.True(restored.IsSuccessStatusCode, await restored.Content.ReadAsStringAsync());
        Assert.True(await Listed());
    }

    [SkippableFact]
    public async Task Neighbourhoods_of_two_departments_are_grouped_with_the_figures_the_database_measures()
    {
        var lima = await LimaNeighborhoodAsync();
        var milagro = await api.MilagroIdAsync();
        var (planId, coverage) = await MilagroCoverageAsync();

        var response = await api.Client().GetAsync("/api/overview");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var overview = await Body(response);
        var rows = overview.GetProperty("rows").EnumerateArray().ToList();
        var m = Row(overview, milagro);
        var l = Row(overview, lima);
        Assert.Equal(("13", "1301", "130104"), (m.GetProperty("departmentCode").GetString(), m.GetProperty("provinceCode").GetString(), m.GetProperty("ubigeo").GetString()));
        Assert.Equal(("15", "1501", LimaUbigeo), (l.GetProperty("departmentCode").GetString(), l.GetProperty("provinceCode").GetString(), l.GetProperty("ubigeo").GetString()));

        // Totals per level: each department's count is its rows', and the country's is every row's.
        var departments = overview.GetProperty("departments").EnumerateArray().ToList();
        foreach (var code in new[] { "13", "15" })
        {
            var d = departments.Single(x => x.GetProperty("code").GetString() == code);
            var mine = rows.Where(r => r.GetProperty("departmentCode").GetString() == code).ToList();
            Assert.Equal(mine.Count, d.GetProperty("neighborhoods").GetInt32());
            Assert.Equal(mine.Sum(r => r.GetProperty("blocks").GetInt32()), d.GetProperty("blocks").GetInt32());
            Assert.Equal(mine.Sum(r => r.GetProperty("officers").GetInt32()), d.GetProperty("officers").GetInt32());
        }
        Assert.Equal(rows.Count, overview.GetProperty("total").GetProperty("neighborhoods").GetInt32());
        Assert.Contains(overview.GetProperty("provinces").EnumerateArray(), p => p.GetProperty("code").GetString() == "1501");
        Assert.Equal("km²", overview.GetProperty("units").GetProperty("areaKm2").GetString());
        Assert.Equal("% of street km", overview.GetProperty("units").GetProperty("coveredStreetKmPct").GetString());

        // Every row against the database's own measures: area on the geography, blocks of its scope, incidents inside, officers.
        await using var db = await OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT n.id, ST_Area(n.boundary::geography) / 1e6,
                   (SELECT count(*) FROM blocks b WHERE b.scope = 'neighborhood:' || n.id),
                   (SELECT count(*) FROM incidents i WHERE ST_Intersects(i.location, n.boundary)),
                   (SELECT COALESCE(sum(officers), 0) FROM contingents c WHERE c.neighborhood_id = n.id),
                   (SELECT count(*) FROM sector_plans p WHERE p.neighborhood_id = n.id AND p.deleted_at IS NULL)
            FROM neighborhoods n WHERE n.deleted_at IS NULL
            """, db); // deleted ones are not in the overview (lifecycle); other tests of the shared service delete some
        var checkedRows = 0;
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
            {
                var row = Row(overview, r.GetInt32(0));
                Assert.InRange(row.GetProperty("areaKm2").GetDouble(), r.GetDouble(1) - 1e-5, r.GetDouble(1) + 1e-5);
                Assert.Equal(r.GetInt64(2), row.GetProperty("blocks").GetInt32());
                Assert.Equal(r.GetInt64(3), row.GetProperty("incidents").GetInt32());
                Assert.Equal(r.GetInt64(4), row.GetProperty("officers").GetInt32());
                Assert.Equal(r.GetInt64(5), row.GetProperty("plans").GetInt32());
                checkedRows++;
            }
        Assert.Equal(rows.Count, checkedRows);
        Assert.True(m.GetProperty("blocks").GetInt32() > 0 && m.GetProperty("incidents").GetInt32() > 0 && m.GetProperty("officers").GetInt32() > 0);
        Assert.InRange(l.GetProperty("areaKm2").GetDouble(), 0.1, 0.3); // 0.004° × 0.004° at 12° S: about 0.19 km²

        // The latest plan and its coverage: the foot figure is the weakest shift of the computation just made.
        Assert.Equal(planId, m.GetProperty("planId").GetInt32());
        Assert.Equal(3, m.GetProperty("sectors").GetInt32());
        var foot = m.GetProperty("coverage").EnumerateArray().Single(c => c.GetProperty("mode").GetString() == "foot");
        Assert.Equal(5, foot.GetProperty("minutes").GetDouble());
        Assert.Equal(coverage.GetArrayLength(), foot.GetProperty("shifts").GetInt32());
        var weakest = coverage.EnumerateArray().Min(c => c.GetProperty("report").GetProperty("figures").GetProperty("coveredStreetKmPct").GetDouble());
        Assert.Equal(weakest, foot.GetProperty("coveredStreetKmPct").GetDouble(), 3);
        Assert.Empty(l.GetProperty("coverage").EnumerateArray());
        Assert.False(l.TryGetProperty("planId", out var none) && none.ValueKind != JsonValueKind.Null, "no plan: no planId"); // nulls are left out
    }

    [SkippableFact]
    public async Task Sorted_and_filtered_by_department_province_district_and_status()
    {
        var lima = await LimaNeighborhoodAsync();
        var milagro = await api.MilagroIdAsync();

        var byArea = (await Body(await api.Client().GetAsync("/api/overview?sort=areaKm2&dir=desc"))).GetProperty("rows").EnumerateArray()
            .Select(r => r.GetProperty("areaKm2").GetDouble()).ToList();
        Assert.True(byArea.Count >= 2);
        Assert.Equal(byArea.OrderByDescending(a => a).ToList(), byArea);
        var byName = (await Body(await api.Client().GetAsync("/api/overview?sort=NAME"))).GetProperty("rows").EnumerateArray()
            .Select(r => r.GetProperty("name").GetString()!).ToList();
        var es = StringComparer.Create(CultureInfo.GetCultureInfo("es-PE"), CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace);
        Assert.Equal(byName.Order(es).ToList(), byName);

        async Task<List<int>> Ids(string query) => (await Body(await api.Client().GetAsync("/api/overview?" + query)))
            .GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).ToList();
        var inLima = await Ids("department=15");
        Assert.Contains(lima, inLima);
        Assert.DoesNotContain(milagro, inLima);
        Assert.Equal(inLima, await Ids("department=lima"));
        var inLaLibertad = await Ids("department=La%20Libertad");
        Assert.Contains(milagro, inLaLibertad);
        Assert.DoesNotContain(lima, inLaLibertad);
        Assert.Equal(inLaLibertad.Order(), (await Ids("department=13")).Order());
        Assert.Contains(milagro, await Ids("province=1301"));
        Assert.DoesNotContain(lima, await Ids("province=trujillo"));
        Assert.Equal([lima], (await Ids($"district={LimaUbigeo}")).Where(i => i == lima || i == milagro));

        var status = (await Body(await api.Client().GetAsync($"/api/neighborhoods/{milagro}"))).GetProperty("properties").GetProperty("status").GetString()!;
        var sameStatus = await Ids($"status={status}");
        Assert.Contains(milagro, sameStatus);
        var other = new[] { "draft", "active", "archived" }.First(s => !s.Equals(status, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(milagro, await Ids($"status={other}"));
    }

    [SkippableFact]
    public async Task A_district_limited_user_sees_only_their_districts()
    {
        var lima = await LimaNeighborhoodAsync();
        var milagro = await api.MilagroIdAsync();
        var client = await api.ClientAs(Role.Chief, "130104");
        var response = await client.GetAsync("/api/overview");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var overview = await Body(response);
        var rows = overview.GetProperty("rows").EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("id").GetInt32() == milagro);
        Assert.DoesNotContain(rows, r => r.GetProperty("id").GetInt32() == lima);
        Assert.All(rows, r => Assert.Equal("130104", r.GetProperty("ubigeo").GetString()));
        Assert.Equal(["13"], overview.GetProperty("departments").EnumerateArray().Select(d => d.GetProperty("code").GetString()));
        // Their file too.
        var csv = await (await client.GetAsync("/api/overview?format=csv")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Vista nacional Lima", csv);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.AnonymousClient().GetAsync("/api/overview")).StatusCode);

        // Audited: the read of officer and incident counts leaves a row naming the user.
        var audit = await Body(await api.Client().GetAsync("/api/audit?action=GET%20/api/overview&user=chief-130104"));
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("detail").GetProperty("format").GetString() == "csv");
    }

    [SkippableFact]
    public async Task Csv_and_geopackage_read_back_by_gdal_hold_every_row()
    {
        await LimaNeighborhoodAsync();
        var overview = await Body(await api.Client().GetAsync("/api/overview"));
        var count = overview.GetProperty("rows").GetArrayLength();
        var milagro = Row(overview, await api.MilagroIdAsync());
        var folder = Directory.CreateTempSubdirectory("overview-test-");
        try
        {
            var gpkg = await api.Client().GetAsync("/api/overview?format=gpkg");
            Assert.Equal(HttpStatusCode.OK, gpkg.StatusCode);
            Assert.Equal("application/geopackage+sqlite3", gpkg.Content.Headers.ContentType!.MediaType);
            var gpkgPath = Path.Combine(folder.FullName, "overview.gpkg");
            await File.WriteAllBytesAsync(gpkgPath, await gpkg.Content.ReadAsByteArrayAsync());
            var summary = Ogrinfo("-ro", "-so", "-al", gpkgPath);
            Assert.Contains($"Feature Count: {count}", summary);
            Assert.Contains("Multi Polygon", summary);
            Assert.Contains("EPSG\",4326", summary.Replace(" ", ""));
            foreach (var field in new[] { "area_km2: Real", "blocks: Integer", "officers: Integer", "coverage_foot_pct: Real", "department: String" })
                Assert.Contains(field, summary);
            var sql = Ogrinfo("-ro", "-q", gpkgPath, "-sql", $"SELECT area_km2, department_code FROM \"{Layer(summary)}\" WHERE id = {milagro.GetProperty("id").GetInt32()}");
            Assert.Contains("department_code (String) = 13", sql);
            var area = double.Parse(sql.Split("area_km2 (Real) = ")[1].Split('\n')[0].Trim(), CultureInfo.InvariantCulture);
            Assert.Equal(milagro.GetProperty("areaKm2").GetDouble(), area, 5);

            var csv = await api.Client().GetAsync("/api/overview?format=csv&sort=name");
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            var csvPath = Path.Combine(folder.FullName, "overview.csv");
            await File.WriteAllBytesAsync(csvPath, await csv.Content.ReadAsByteArrayAsync());
            var csvSummary = Ogrinfo("-ro", "-so", "-al", "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "AUTODETECT_TYPE=YES", csvPath);
            Assert.Contains($"Feature Count: {count}", csvSummary);
            Assert.Contains("Point", csvSummary);
            Assert.Contains("area_km2: Real", csvSummary);
            var header = File.ReadLines(csvPath).First();
            Assert.StartsWith("lon,lat,id,name,status,department_code", header);
        }
        finally
        {
            folder.Delete(true);
        }
    }

    [SkippableTheory]
    [InlineData("sort=speed", "sort", "overview.unknown_sort", "no es ninguno de", "is not one of")]
    [InlineData("dir=up", "dir", "overview.unknown_dir", "no es ninguno de", "is not one of")]
    [InlineData("format=shapefile", "format", "overview.unknown_format", "se exporta como CSV o GeoPackage", "exports as CSV or GeoPackage")]
    [InlineData("status=closed", "status", "overview.unknown_status", "no es ninguno de", "is not one of")]
    public async Task A_bad_parameter_is_a_400_naming_it_in_both_languages(string query, string parameter, string code, string es, string en)
    {
        api.Require();
        foreach (var (lang, text) in new[] { ("es", es), ("en", en) })
        {
            var response = await api.Client().GetAsync($"/api/overview?{query}&lang={lang}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var problem = await Body(response);
            Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Contains(text, problem.GetProperty("detail").GetString());
        }
    }

    private static string Layer(string summary) =>
        summary.Split('\n').First(l => l.StartsWith("Layer name: ", StringComparison.Ordinal))["Layer name: ".Length..].Trim();

    private static string Ogrinfo(params string[] args) => GdalTool.Run("ogrinfo", args);
}
