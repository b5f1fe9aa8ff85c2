using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

[Collection(ApiCollection.Name)]
public class NeighborhoodQualityEndpointsTests(ApiFixture api)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/geo+json");

    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    private static string Polygon(string name, string ring) =>
        $$$"""{"type":"Feature","properties":{"name":"{{{name}}}"},"geometry":{"type":"Polygon","coordinates":[{{{ring}}}]}}""";

    [SkippableFact]
    public async Task A_draft_over_El_Milagro_gets_the_overlap_as_a_polygon_with_its_area()
    {
        // A square straddling El Milagro's north-eastern edge.
        const string ring = "[[-79.0660,-8.0160],[-79.0600,-8.0160],[-79.0600,-8.0100],[-79.0660,-8.0100],[-79.0660,-8.0160]]";
        var report = await Body(await api.Client().PostAsync("/api/neighborhoods/validate", Json(Polygon("Borrador", ring))));

        Assert.False(report.GetProperty("valid").GetBoolean());
        var overlap = report.GetProperty("problems").GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("properties").GetProperty("kind").GetString() == "overlap");
        Assert.Equal("El Milagro", overlap.GetProperty("properties").GetProperty("other").GetString());
        Assert.Contains(overlap.GetProperty("geometry").GetProperty("type").GetString(), new[] { "Polygon", "MultiPolygon" });

        // PostGIS is the oracle for the overlap's area.
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT ST_Area(ST_Intersection(boundary, ST_GeomFromGeoJSON(@g))::geography) FROM neighborhoods WHERE name = 'El Milagro'", connection);
        cmd.Parameters.AddWithValue("g", $$"""{"type":"Polygon","coordinates":[{{ring}}]}""");
        var expected = (double)(await cmd.ExecuteScalarAsync())!;
        Assert.InRange(overlap.GetProperty("properties").GetProperty("areaM2").GetDouble() / expected - 1, -0.001, 0.001);
    }

    [SkippableFact]
    public async Task A_reshaped_boundary_that_names_its_neighbourhood_does_not_overlap_its_own_stored_version()
    {
        var id = await api.MilagroIdAsync();
        var stored = await Body(await api.Client().GetAsync($"/api/neighborhoods/{id}"));
        var geometry = stored.GetProperty("geometry").GetRawText();
        static IEnumerable<string?> OverlapsWith(JsonElement report) => report.GetProperty("problems").GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("kind").GetString() == "overlap")
            .Select(f => f.GetProperty("properties").GetProperty("other").GetString());

        // Unnamed, El Milagro's own shape overlaps El Milagro; named by its id, it does not.
        var anonymous = await Body(await api.Client().PostAsync("/api/neighborhoods/validate",
            Json($$"""{"type":"Feature","properties":{"districtUbigeo":"130104"},"geometry":{{geometry}}}""")));
        Assert.Contains("El Milagro", OverlapsWith(anonymous));
        var named = await Body(await api.Client().PostAsync("/api/neighborhoods/validate",
            Json($$"""{"type":"Feature","properties":{"districtUbigeo":"130104","id":{{id}}},"geometry":{{geometry}}}""")));
        Assert.DoesNotContain("El Milagro", OverlapsWith(named));
    }

    [SkippableFact]
    public async Task A_bowtie_draft_is_reported_not_refused_with_its_crossing()
    {
        const string bowtie = "[[-79.10,-8.10],[-79.09,-8.09],[-79.09,-8.10],[-79.10,-8.09],[-79.10,-8.10]]";
        var response = await api.Client().PostAsync("/api/neighborhoods/validate", Json(Polygon("Lazo", bowtie)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await Body(response);
        var crossing = report.GetProperty("problems").GetProperty("features").EnumerateArray()
            .First(f => f.GetProperty("properties").GetProperty("kind").GetString() == "self-intersection");
        var at = crossing.GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(-79.095, at[0].GetDouble(), 6);
        Assert.Equal(-8.095, at[1].GetDouble(), 6);
    }

    [SkippableFact]
    public async Task The_sample_neighbourhood_is_valid_and_its_figures_agree_with_PostGIS()
    {
        var id = await api.MilagroIdAsync();
        var validation = await Body(await api.Client().GetAsync($"/api/neighborhoods/{id}/validation"));
        Assert.True(validation.GetProperty("valid").GetBoolean(), validation.GetRawText());

        var figures = await Body(await api.Client().GetAsync($"/api/neighborhoods/{id}/figures"));
        Assert.Equal(44, figures.GetProperty("incidents").GetInt32());
        Assert.InRange(figures.GetProperty("blocks").GetInt32(), 200, 2000);
        Assert.True(figures.GetProperty("stations").GetInt32() >= 1); // PNP MILAGRO
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT sum(ST_Length(ST_Intersection(s.geometry, n.boundary)::geography)) / 1000
            FROM streets s, neighborhoods n WHERE n.id = @id AND ST_Intersects(s.geometry, n.boundary)
            """, connection);
        cmd.Parameters.AddWithValue("id", id);
        var km = (double)(await cmd.ExecuteScalarAsync())!;
        Assert.InRange(figures.GetProperty("streetKm").GetDouble() / km - 1, -0.001, 0.001);
        var pp = figures.GetProperty("polsbyPopper").GetDouble();
        Assert.InRange(pp, 0.2, 0.8);
    }

    [SkippableFact]
    public async Task Repair_drops_a_spike_says_what_it_removed_and_applies_as_a_new_version()
    {
        var client = api.Client();
        var name = $"Espiga {Guid.NewGuid():N}"[..20];
        // A square far from El Milagro with a 1 m wide, 300 m long spike on its east side.
        const string ring = "[[-79.100,-8.070],[-79.095,-8.070],[-79.095,-8.0675],[-79.0923,-8.067495],[-79.095,-8.06749],[-79.095,-8.065],[-79.100,-8.065],[-79.100,-8.070]]";
        var created = await client.PostAsync("/api/neighborhoods", Json(Polygon(name, ring)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();

        var preview = await Body(await client.PostAsync(location + "/repair", null));
        Assert.False(preview.GetProperty("applied").GetBoolean());
        Assert.NotEmpty(preview.GetProperty("changes").EnumerateArray());
        Assert.True(preview.GetProperty("removedSquareMeters").GetDouble() > 0);

        var apply = new HttpRequestMessage(HttpMethod.Post, location + "/repair?apply=true");
        apply.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var applied = await Body(await client.SendAsync(apply));
        Assert.True(applied.GetProperty("applied").GetBoolean());
        Assert.Equal(2, applied.GetProperty("version").GetInt32());
        var history = await Body(await client.GetAsync(location + "/revisions"));
        Assert.StartsWith("Repair:", history[1].GetProperty("comment").GetString());
    }

    /// <summary>Issue 12: the problems, repair changes and geometry refusals come as notes, said in the asked language.</summary>
    [SkippableFact]
    public async Task Problems_changes_and_geometry_refusals_are_notes_said_in_Spanish_or_English_as_asked()
    {
        var client = api.Client();
        const string ring = "[[-79.0660,-8.0160],[-79.0600,-8.0160],[-79.0600,-8.0100],[-79.0660,-8.0100],[-79.0660,-8.0160]]";
        async Task<JsonElement> Validate(string lang)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/neighborhoods/validate") { Content = Json(Polygon("Borrador", ring)) };
            request.Headers.AcceptLanguage.ParseAdd(lang);
            var report = await Body(await client.SendAsync(request));
            return report.GetProperty("problems").GetProperty("features").EnumerateArray()
                .Single(f => f.GetProperty("properties").GetProperty("kind").GetString() == "overlap").GetProperty("properties");
        }
        var es = await Validate("es-PE");
        var en = await Validate("en");
        Assert.Equal("boundary.overlap", es.GetProperty("code").GetString());
        Assert.Equal(es.GetProperty("code").GetString(), en.GetProperty("code").GetString());
        Assert.Equal("El Milagro", es.GetProperty("args").GetProperty("other").GetString());
        Assert.Equal(es.GetProperty("args").GetProperty("area").GetDouble(), en.GetProperty("args").GetProperty("area").GetDouble());
        Assert.StartsWith("Se superpone con El Milagro en ", es.GetProperty("message").GetString());
        Assert.StartsWith("Overlaps El Milagro by ", en.GetProperty("message").GetString());

        // A repair preview: each change a note beside its sentence.
        var name = $"Espiga {Guid.NewGuid():N}"[..20];
        const string spike = "[[-79.100,-8.070],[-79.095,-8.070],[-79.095,-8.0675],[-79.0923,-8.067495],[-79.095,-8.06749],[-79.095,-8.065],[-79.100,-8.065],[-79.100,-8.070]]";
        var created = await client.PostAsync("/api/neighborhoods", Json(Polygon(name, spike)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        async Task<JsonElement> Preview(string lang)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, created.Headers.Location + "/repair");
            request.Headers.AcceptLanguage.ParseAdd(lang);
            return await Body(await client.SendAsync(request));
        }
        var previewEs = await Preview("es");
        var previewEn = await Preview("en");
        var notesEs = previewEs.GetProperty("changeNotes").EnumerateArray().ToList();
        Assert.NotEmpty(notesEs);
        Assert.All(notesEs, n => Assert.StartsWith("repair.", n.GetProperty("code").GetString()));
        Assert.Equal(notesEs.Select(n => n.GetProperty("text").GetString()), previewEs.GetProperty("changes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(notesEs.Select(n => n.GetProperty("code").GetString()), previewEn.GetProperty("changeNotes").EnumerateArray().Select(n => n.GetProperty("code").GetString()));
        Assert.Contains(previewEs.GetProperty("changes").EnumerateArray(), c => c.GetString()!.Contains("quit"));
        Assert.Contains(previewEn.GetProperty("changes").EnumerateArray(), c => c.GetString()!.Contains("removed"));

        // A boundary outside Peru is refused (422) with each problem's code and arguments, in the asked language.
        async Task<JsonElement> Refused(string lang)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/neighborhoods")
            {
                Content = Json(Polygon("Fuera", "[[10,10],[10.01,10],[10.01,10.01],[10,10.01],[10,10]]")),
            };
            request.Headers.AcceptLanguage.ParseAdd(lang);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            return await Body(response);
        }
        var refusedEs = await Refused("es");
        var refusedEn = await Refused("en");
        var problemEs = refusedEs.GetProperty("problems")[0];
        Assert.Equal("geometry.outside_peru", problemEs.GetProperty("code").GetString());
        Assert.Equal(10, problemEs.GetProperty("args").GetProperty("x").GetDouble());
        Assert.Contains("queda fuera del Perú", refusedEs.GetProperty("detail").GetString());
        Assert.Contains("lies outside Peru", refusedEn.GetProperty("detail").GetString());
        Assert.Equal("Geometría no válida", refusedEs.GetProperty("title").GetString());
    }
}
