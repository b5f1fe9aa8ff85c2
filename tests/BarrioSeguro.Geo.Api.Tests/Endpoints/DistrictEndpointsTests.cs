using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Data.Accounts;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>Issue 13.2: every district of Peru loaded, searched and usable for a neighbourhood.</summary>
[Collection(ApiCollection.Name)]
public class DistrictEndpointsTests(ApiFixture api)
{
    private static string NationalFile => Path.Combine(ApiFixture.GeodataPath, "admin", "peru_distrital_simple.geojson");

    private static Task<string> Run(string tool, params string[] args) => GdalTool.RunAsync(tool, args);

    /// <summary>The ubigeos of INEI's national file as GDAL reads it, with how many have no geometry.</summary>
    private static async Task<(HashSet<string> Ubigeos, int WithoutGeometry)> FileAsReadByGdal()
    {
        static IEnumerable<string> Ubigeos(string listing) => listing.Split('\n')
            .Where(l => l.TrimStart().StartsWith("IDDIST (String) = ", StringComparison.Ordinal)).Select(l => l.Split('=')[1].Trim());
        var all = Ubigeos(await Run("ogrinfo", "-ro", "-q", NationalFile, "-sql", "SELECT IDDIST FROM peru_distrital_simple")).ToList();
        var none = Ubigeos(await Run("ogrinfo", "-ro", "-q", NationalFile, "-sql", "SELECT IDDIST FROM peru_distrital_simple WHERE OGR_GEOMETRY IS NULL")).Count();
        Assert.Equal(all.Count, all.Distinct().Count());
        return (all.ToHashSet(), none);
    }

    private async Task<long> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    private async Task<JsonElement> Search(string query)
    {
        var response = await api.AnonymousClient().GetAsync("/api/districts?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Body(response);
    }

    private static List<string> Ubigeos(JsonElement search) =>
        search.GetProperty("districts").EnumerateArray().Select(d => d.GetProperty("ubigeo").GetString()!).ToList();

    [SkippableFact]
    public async Task Every_district_of_the_INEI_file_is_in_the_database()
    {
        api.Require();
        var (ubigeos, withoutGeometry) = await FileAsReadByGdal();
        Assert.True(ubigeos.Count > 1800, $"GDAL read {ubigeos.Count} districts"); // the file is all of Peru, not a sample
        Assert.Equal(ubigeos.Count, await Scalar("SELECT count(*) FROM districts"));
        var missing = new List<string>();
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT ubigeo FROM districts", connection);
            await using var r = await cmd.ExecuteReaderAsync();
            var stored = new HashSet<string>();
            while (await r.ReadAsync()) stored.Add(r.GetString(0));
            missing.AddRange(ubigeos.Where(u => !stored.Contains(u)));
        }
        Assert.Empty(missing);
        // The districts the file has no boundary for are kept (searchable) with an empty one.
        Assert.Equal(withoutGeometry, await Scalar("SELECT count(*) FROM districts WHERE ST_IsEmpty(boundary)"));
        // Provinces and departments: one row per code of their files.
        Assert.Equal(25, await Scalar("SELECT count(*) FROM departments"));
        Assert.Equal(await Scalar("SELECT count(DISTINCT left(ubigeo, 4)) FROM districts"), await Scalar("SELECT count(*) FROM provinces"));
    }

    [SkippableFact]
    public async Task The_INEI_2023_boundaries_of_Huanchaco_and_its_neighbours_win_over_the_2007_ones()
    {
        api.Require();
        Assert.Equal(5, await Scalar("SELECT count(*) FROM districts WHERE source = 'huanchaco_y_vecinos_inei2023.geojson'"));
        Assert.Equal(0, await Scalar("SELECT count(*) FROM districts WHERE source = 'huanchaco_y_vecinos_inei2023.geojson' AND left(ubigeo, 4) <> '1301'"));
        // Huanchaco has the 2023 limit of the sample file (155 vertices, about 316 km²), not the simplified 2007 one.
        var huanchaco = await Body(await api.AnonymousClient().GetAsync("/api/districts/130104"));
        Assert.InRange(huanchaco.GetProperty("properties").GetProperty("areaKm2").GetDouble(), 310, 320);
        Assert.Equal("huanchaco_y_vecinos_inei2023.geojson", huanchaco.GetProperty("properties").GetProperty("source").GetString());
    }

    [SkippableFact]
    public async Task Florencia_finds_Florencia_de_Mora_in_Spanish_case()
    {
        var found = await Search("q=florencia");
        var first = found.GetProperty("districts")[0];
        Assert.Equal("130103", first.GetProperty("ubigeo").GetString());
        Assert.Equal("Florencia de Mora", first.GetProperty("name").GetString());
        Assert.Equal("Trujillo", first.GetProperty("province").GetString());
        Assert.Equal("La Libertad", first.GetProperty("department").GetString());
        Assert.Equal("namePrefix", first.GetProperty("match").GetString());
        Assert.True(first.GetProperty("areaKm2").GetDouble() > 0);
        // Upper case and a word inside the name find it too.
        Assert.Contains("130103", Ubigeos(await Search("q=FLORENCIA%20DE")));
        Assert.Contains("130103", Ubigeos(await Search("q=mora")));
    }

    [SkippableFact]
    public async Task The_search_ignores_accents_and_the_tilde_of_enye_both_ways()
    {
        // "Ñuñoa"-style: the file writes NUÑOA; "nunoa", "ñuñoa" and "NUÑOA" find it, and keep its ñ for display.
        foreach (var q in new[] { "nunoa", "%C3%B1u%C3%B1oa", "NU%C3%91OA" })
        {
            var found = await Search("q=" + q);
            var nunoa = found.GetProperty("districts").EnumerateArray().FirstOrDefault(d => d.GetProperty("name").GetString() == "Nuñoa");
            Assert.True(nunoa.ValueKind == JsonValueKind.Object, $"q={q} did not find Nuñoa: {found}");
        }
        // An accent typed where the source has none still matches: "Víctor Larco" (the file writes VICTOR LARCO HERRERA).
        Assert.Contains("130111", Ubigeos(await Search("q=v%C3%ADctor%20larco")));
        // Breña (Lima) by "brena".
        var brena = (await Search("q=brena")).GetProperty("districts").EnumerateArray().Select(d => d.GetProperty("name").GetString()).ToList();
        Assert.Contains("Breña", brena);
    }

    [SkippableFact]
    public async Task A_ubigeo_prefix_lists_the_districts_of_Trujillo_province()
    {
        var found = await Search("q=1301&limit=100");
        var expected = new HashSet<string>();
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT ubigeo FROM districts WHERE ubigeo LIKE '1301%'", connection);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) expected.Add(r.GetString(0));
        }
        Assert.Equal(11, expected.Count); // INEI: Trujillo has 11 districts
        Assert.Equal(expected, Ubigeos(found).ToHashSet());
        Assert.Equal(11, found.GetProperty("matched").GetInt32());
        Assert.All(found.GetProperty("districts").EnumerateArray(), d => Assert.Equal("ubigeoPrefix", d.GetProperty("match").GetString()));
        // The exact ubigeo ranks first.
        var exact = await Search("q=130104");
        Assert.Equal(["130104"], Ubigeos(exact));
        Assert.Equal("ubigeo", exact.GetProperty("districts")[0].GetProperty("match").GetString());
    }

    [SkippableFact]
    public async Task Ranking_puts_the_exact_name_before_prefixes_and_prefixes_before_contains()
    {
        var found = (await Search("q=trujillo&limit=100")).GetProperty("districts").EnumerateArray().ToList();
        Assert.Equal("130101", found[0].GetProperty("ubigeo").GetString());
        Assert.Equal("name", found[0].GetProperty("match").GetString());
        var ranks = found.Select(d => d.GetProperty("match").GetString()).ToList();
        var order = new[] { "ubigeo", "ubigeoPrefix", "name", "namePrefix", "wordPrefix", "contains" };
        Assert.Equal(ranks.OrderBy(r => Array.IndexOf(order, r)).ToList(), ranks);
    }

    [SkippableFact]
    public async Task Department_and_province_filters_take_names_or_codes()
    {
        var byName = await Search("q=la&department=la%20libertad&limit=100");
        Assert.NotEmpty(Ubigeos(byName));
        Assert.All(Ubigeos(byName), u => Assert.StartsWith("13", u));
        var byCode = await Search("q=la&department=13&limit=100");
        Assert.Equal(Ubigeos(byName), Ubigeos(byCode));
        var province = await Search("province=TRUJILLO&limit=100");
        Assert.Equal(11, Ubigeos(province).Count);
        Assert.All(Ubigeos(province), u => Assert.StartsWith("1301", u));
        // Lima's districts are found, far from Trujillo.
        Assert.Contains("150122", Ubigeos(await Search("q=miraflores&department=lima")));
    }

    [SkippableFact]
    public async Task A_district_comes_with_its_boundary_province_department_and_area()
    {
        var response = await api.AnonymousClient().GetAsync("/api/districts/150122");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var feature = await Body(response);
        Assert.Equal("Feature", feature.GetProperty("type").GetString());
        Assert.Equal("MultiPolygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        var p = feature.GetProperty("properties");
        Assert.Equal("Miraflores", p.GetProperty("name").GetString());
        Assert.Equal("Lima", p.GetProperty("province").GetString());
        Assert.Equal("1501", p.GetProperty("provinceCode").GetString());
        Assert.Equal("15", p.GetProperty("departmentCode").GetString());
        // The area is PostGIS's geodesic area of the stored boundary.
        var km2 = await Scalar("SELECT round(ST_Area(boundary::geography) / 1e3) FROM districts WHERE ubigeo = '150122'") / 1000.0;
        Assert.Equal(km2, p.GetProperty("areaKm2").GetDouble(), 2);

        var province = await Body(await api.AnonymousClient().GetAsync("/api/provinces/1301"));
        Assert.Equal("Trujillo", province.GetProperty("properties").GetProperty("name").GetString());
        Assert.Equal(11, province.GetProperty("properties").GetProperty("districts").GetInt32());
        var department = await Body(await api.AnonymousClient().GetAsync("/api/departments/13"));
        Assert.Equal("La Libertad", department.GetProperty("properties").GetProperty("name").GetString());
        var list = await Body(await api.AnonymousClient().GetAsync("/api/provinces?department=La%20Libertad"));
        Assert.Equal(12, list.GetProperty("provinces").GetArrayLength()); // La Libertad has 12 provinces
    }

    [SkippableFact]
    public async Task A_district_without_a_boundary_in_the_file_is_found_and_says_so()
    {
        var found = (await Search("q=santa%20anita&department=lima")).GetProperty("districts").EnumerateArray()
            .First(d => d.GetProperty("ubigeo").GetString() == "150137");
        Assert.False(found.GetProperty("hasBoundary").GetBoolean());
        var feature = await Body(await api.AnonymousClient().GetAsync("/api/districts/150137"));
        Assert.Equal(JsonValueKind.Null, feature.GetProperty("geometry").ValueKind);
    }

    [SkippableFact]
    public async Task Bad_input_is_a_clear_400_or_404_in_the_asked_language()
    {
        var client = api.AnonymousClient();
        var unknown = await client.GetAsync("/api/districts/999999?lang=es");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var body = await Body(unknown);
        Assert.Equal("districts.unknown", body.GetProperty("code").GetString());
        Assert.Contains("999999", body.GetProperty("detail").GetString());
        Assert.Contains("No existe el distrito", body.GetProperty("detail").GetString());
        var english = await Body(await client.GetAsync("/api/districts/999999?lang=en"));
        Assert.Contains("No district has ubigeo", english.GetProperty("detail").GetString());

        var malformed = await client.GetAsync("/api/districts/13a");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("districts.bad_ubigeo", (await Body(malformed)).GetProperty("code").GetString());

        var tooLong = await client.GetAsync("/api/districts?q=" + new string('a', 101));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var tooLongBody = await Body(tooLong);
        Assert.Equal("districts.q_too_long", tooLongBody.GetProperty("code").GetString());
        Assert.Equal(101, tooLongBody.GetProperty("args").GetProperty("length").GetInt32());

        foreach (var limit in new[] { "0", "101", "-5" })
        {
            var r = await client.GetAsync($"/api/districts?q=la&limit={limit}");
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("districts.limit_range", (await Body(r)).GetProperty("code").GetString());
        }
        var notANumber = await client.GetAsync("/api/districts?limit=many");
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);

        var department = await client.GetAsync("/api/districts?department=Atlantis");
        Assert.Equal(HttpStatusCode.BadRequest, department.StatusCode);
        Assert.Equal("districts.unknown_department", (await Body(department)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/provinces/9999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/departments/1")).StatusCode);
        // LIKE's wildcards are searched as themselves, not as "anything".
        Assert.Equal(0, (await Search("q=%25")).GetProperty("matched").GetInt32());
    }

    private static StringContent GeoJsonBody(string name, string ubigeo, double lon, double lat)
    {
        string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
        var d = 0.002;
        var ring = $"[[{F(lon - d)},{F(lat - d)}],[{F(lon + d)},{F(lat - d)}],[{F(lon + d)},{F(lat + d)}],[{F(lon - d)},{F(lat + d)}],[{F(lon - d)},{F(lat - d)}]]";
        var json = $$$"""{"type":"Feature","properties":{"name":"{{{name}}}","districtUbigeo":"{{{ubigeo}}}"},"geometry":{"type":"Polygon","coordinates":[{{{ring}}}]}}""";
        return new StringContent(json, Encoding.UTF8, "application/geo+json");
    }

    private async Task<(double Lon, double Lat)> InsidePoint(string ubigeo)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(ST_Buffer(boundary, -0.003)) AS p FROM districts WHERE ubigeo = @u) x", connection);
        cmd.Parameters.AddWithValue("u", ubigeo);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return (r.GetDouble(0), r.GetDouble(1));
    }

    [SkippableFact]
    public async Task A_neighbourhood_can_be_created_in_Lima_and_district_limits_still_hold()
    {
        var (lon, lat) = await InsidePoint("150122");
        var name = $"Barrio Miraflores {Guid.NewGuid():N}"[..28];

        // A planner of Huanchaco only may not create one in Miraflores.
        var huanchacoPlanner = await api.ClientAs(Role.Planner, "130104");
        var refused = await huanchacoPlanner.PostAsync("/api/neighborhoods", GeoJsonBody(name, "150122", lon, lat));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // A planner of Miraflores may.
        var limaPlanner = await api.ClientAs(Role.Planner, "150122");
        var created = await limaPlanner.PostAsync("/api/neighborhoods", GeoJsonBody(name, "150122", lon, lat));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var feature = await Body(created);
        Assert.Equal("150122", feature.GetProperty("properties").GetProperty("districtUbigeo").GetString());
        var id = feature.GetProperty("properties").GetProperty("id").GetInt32();
        try
        {
            // It is checked against Miraflores: no part outside the district.
            var validation = await Body(await limaPlanner.GetAsync($"/api/neighborhoods/{id}/validation"));
            Assert.DoesNotContain("outside", validation.ToString());
            // The Huanchaco planner does not see it; the Lima one does.
            Assert.Equal(HttpStatusCode.NotFound, (await huanchacoPlanner.GetAsync($"/api/collections/neighborhoods/items/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await limaPlanner.GetAsync($"/api/collections/neighborhoods/items/{id}")).StatusCode);
        }
        finally
        {
            await Scalar($"WITH d AS (DELETE FROM neighborhoods WHERE id = {id} RETURNING 1) SELECT count(*) FROM d");
        }
    }

    [SkippableFact]
    public async Task Provinces_and_departments_are_public_OGC_collections_to_draw()
    {
        var anonymous = api.AnonymousClient();
        var provinces = await Body(await anonymous.GetAsync("/api/collections/provinces/items?limit=1000"));
        Assert.Equal(await Scalar("SELECT count(DISTINCT left(ubigeo, 4)) FROM districts"), provinces.GetProperty("numberMatched").GetInt64());
        var trujillo = provinces.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("properties").GetProperty("code").GetString() == "1301");
        Assert.Equal("Trujillo", trujillo.GetProperty("properties").GetProperty("name").GetString());
        Assert.Equal("La Libertad", trujillo.GetProperty("properties").GetProperty("department").GetString());
        var departments = await Body(await anonymous.GetAsync("/api/collections/departments/items"));
        Assert.Equal(25, departments.GetProperty("numberMatched").GetInt32());
        var one = await anonymous.GetAsync("/api/collections/departments/items/13");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal("MultiPolygon", (await Body(one)).GetProperty("geometry").GetProperty("type").GetString());
    }

    [SkippableFact]
    public async Task GDAL_pages_through_every_district_of_the_OGC_collection()
    {
        api.Require();
        var (ubigeos, _) = await FileAsReadByGdal();
        // Pages of 500: GDAL follows the next links to the end.
        var listing = await Run("ogrinfo", "-ro", "-q", "-oo", "PAGE_SIZE=500", $"OAPIF:{api.BaseAddress}api", "districts", "-fields=YES", "-geom=NO");
        var seen = listing.Split('\n').Where(l => l.TrimStart().StartsWith("ubigeo (String) = ", StringComparison.Ordinal))
            .Select(l => l.Split('=')[1].Trim()).ToList();
        Assert.Equal(ubigeos.Count, seen.Count);
        Assert.Equal(ubigeos, seen.ToHashSet());
    }
}
