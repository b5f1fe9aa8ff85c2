using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

[Collection(ApiCollection.Name)]
public class BlockEndpointsTests(ApiFixture api)
{
    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    [SkippableFact]
    public async Task Blocks_of_El_Milagro_tile_inside_it_hold_every_incident_once_and_a_second_run_replaces_the_first()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var first = await client.PostAsync($"/api/neighborhoods/{id}/blocks", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var summary = await Body(first);
        var count = summary.GetProperty("blocks").GetInt32();
        Assert.InRange(count, 200, 2000);
        await client.PostAsync($"/api/neighborhoods/{id}/blocks", null); // replaces, never duplicates

        var blocks = await Body(await client.GetAsync($"/api/neighborhoods/{id}/blocks"));
        var features = blocks.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(count, features.Count);
        Assert.Equal(features.Count, features.Select(f => f.GetProperty("properties").GetProperty("id").GetString()).Distinct().Count());

        // PostGIS oracle: the kept blocks do not overlap, lie inside the neighbourhood, and their union's area is their sum.
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*),
                   (SELECT count(*) FROM blocks a JOIN blocks b ON a.scope = b.scope AND a.id < b.id AND ST_Overlaps(a.geometry, b.geometry) WHERE a.scope = @s),
                   count(*) FILTER (WHERE NOT ST_CoveredBy(b.geometry, ST_Buffer(n.boundary, 1e-7))),
                   ST_Area(ST_Union(b.geometry)::geography) / sum(ST_Area(b.geometry::geography))
            FROM blocks b, neighborhoods n WHERE b.scope = @s AND n.id = @id GROUP BY n.boundary
            """, connection);
        cmd.Parameters.AddWithValue("s", $"neighborhood:{id}");
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        Assert.Equal(count, r.GetInt64(0));
        Assert.Equal(0, r.GetInt64(1));
        Assert.Equal(0, r.GetInt64(2));
        Assert.InRange(r.GetDouble(3), 0.9999, 1.0001);
        await r.CloseAsync();

        // Each synthetic incident lies on a street, so on a block edge: it is counted in at most one block.
        var counted = features.Sum(f => f.GetProperty("properties").GetProperty("incidents").GetInt32());
        Assert.InRange(counted, 1, 44);
    }

    [SkippableFact]
    public async Task A_proposal_from_chosen_blocks_is_one_block_aligned_polygon()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        await client.PostAsync($"/api/neighborhoods/{id}/blocks", null);
        var blocks = await Body(await client.GetAsync($"/api/neighborhoods/{id}/blocks"));
        var ids = blocks.GetProperty("features").EnumerateArray().Take(3).Select(f => f.GetProperty("properties").GetProperty("id").GetString()!).ToList();

        var response = await client.PostAsJsonAsync("/api/neighborhoods/proposals", new { scope = $"neighborhood:{id}", blockIds = ids });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var proposal = await Body(response);
        Assert.Equal(3, proposal.GetProperty("properties").GetProperty("blocks").GetInt32());
        Assert.True(proposal.GetProperty("properties").GetProperty("areaKm2").GetDouble() > 0);

        var unknown = await client.PostAsJsonAsync("/api/neighborhoods/proposals", new { scope = "district:000000", blockIds = ids });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [SkippableFact]
    public async Task A_hot_spot_proposal_holds_the_dense_incidents()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        await client.PostAsync($"/api/neighborhoods/{id}/blocks", null);
        var response = await client.PostAsJsonAsync("/api/neighborhoods/proposals",
            new { scope = $"neighborhood:{id}", hotspots = new { radiusMeters = 250, minIncidents = 3 } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var proposal = await Body(response);
        var note = proposal.GetProperty("properties").GetProperty("notes")[0];
        Assert.Equal("neighborhood.hotspots", note.GetProperty("code").GetString());
        Assert.Equal(250, note.GetProperty("args").GetProperty("radius").GetDouble());
        Assert.Contains("punto(s) caliente(s)", note.GetProperty("text").GetString()); // Spanish by default
    }

    [SkippableFact]
    public async Task Notes_are_said_in_the_language_of_lang_or_Accept_Language_with_the_same_code_and_arguments()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        await client.PostAsync($"/api/neighborhoods/{id}/blocks", null);
        async Task<(JsonElement Note, string? Language)> Ask(string url, string? acceptLanguage)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonContent.Create(new { scope = $"neighborhood:{id}", hotspots = new { radiusMeters = 250, minIncidents = 3 } }),
            };
            if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return ((await Body(response)).GetProperty("properties").GetProperty("notes")[0].Clone(), response.Content.Headers.ContentLanguage.SingleOrDefault());
        }
        var (en, enLanguage) = await Ask("/api/neighborhoods/proposals", "en-GB,en;q=0.9");
        var (es, esLanguage) = await Ask("/api/neighborhoods/proposals", "es-PE,es;q=0.9,en;q=0.5");
        var (forced, _) = await Ask("/api/neighborhoods/proposals?lang=en", "es-PE");
        var (fallback, _) = await Ask("/api/neighborhoods/proposals", "de-DE");

        Assert.Equal(("en", "es"), (enLanguage, esLanguage));
        Assert.Matches(@"^\d+ hot spot\(s\) of [\d, ]+ incidents \(radius 250 m, at least 3 incidents\)\.$", en.GetProperty("text").GetString());
        Assert.Matches(@"^\d+ punto\(s\) caliente\(s\) de [\d, ]+ incidentes \(radio 250 m, al menos 3 incidentes\)\.$", es.GetProperty("text").GetString());
        Assert.Equal(en.GetProperty("text").GetString(), forced.GetProperty("text").GetString());
        Assert.Equal(es.GetProperty("text").GetString(), fallback.GetProperty("text").GetString());
        Assert.Equal(en.GetProperty("code").GetString(), es.GetProperty("code").GetString());
        Assert.Equal(en.GetProperty("args").GetRawText(), es.GetProperty("args").GetRawText());

        // The catalog the viewer says them from: open to anyone, both languages, the same sentence.
        var catalog = await api.AnonymousClient().GetAsync("/api/notes/catalog");
        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
        var entry = (await Body(catalog)).GetProperty("notes").GetProperty("neighborhood.hotspots");
        Assert.StartsWith("{count} punto(s) caliente(s)", entry.GetProperty("es").GetString());
        Assert.StartsWith("{count} hot spot(s)", entry.GetProperty("en").GetString());
    }

    [SkippableFact]
    public async Task A_district_without_streets_is_refused_with_a_422_and_Core_s_reason()
    {
        // Florencia de Mora (130103) is a sample district, but the sample streets are El Milagro's only.
        var response = await api.Client().PostAsync("/api/districts/130103/blocks", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Body(response);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal("/api/districts/130103/blocks", problem.GetProperty("instance").GetString());
    }
}
