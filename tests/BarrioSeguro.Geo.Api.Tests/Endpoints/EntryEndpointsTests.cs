using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// Contingents, stations, hot spots and incidents entered by hand (issue 12, forms): the whole life of one of each
/// through the API (create, read, 304, replace, stale 412, missing 428, patch, delete), the 422 naming the member in
/// the request's language, the district limit (403) and the audit trail; and the CSV import of incidents, counted in
/// PostGIS. Everything made here is deleted again: other tests count the sample's stations, contingents and incidents.
/// </summary>
[Collection(ApiCollection.Name)]
public class EntryEndpointsTests(ApiFixture api)
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    private sealed record Place(double Lon, double Lat, string Ubigeo, string OtherUbigeo, int Milagro);

    /// <summary>A point inside El Milagro (PostGIS's point on its surface) and its district.</summary>
    private async Task<Place> PlaceAsync()
    {
        var milagro = await api.MilagroIdAsync();
        await using var scope = api.Require().Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
        var n = await db.Neighborhoods.Where(x => x.Id == milagro).Select(x => new { x.DistrictUbigeo, P = x.Boundary.PointOnSurface }).SingleAsync();
        var other = await db.Districts.Where(d => d.Ubigeo != n.DistrictUbigeo).Select(d => d.Ubigeo).OrderBy(u => u).FirstAsync();
        return new Place(n.P.X, n.P.Y, n.DistrictUbigeo!, other, milagro);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, object? body = null,
        string? ifMatch = null, string? ifNoneMatch = null, string? lang = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        if (lang is not null) request.Headers.TryAddWithoutValidation("Accept-Language", lang);
        return await client.SendAsync(request);
    }

    private static string ETag(HttpResponseMessage r) => r.Headers.ETag?.Tag ?? "";

    /// <summary>One kind: its path, a body to create, a change (member, value) by PUT, one by PATCH, and a bad body with the member it names.</summary>
    public sealed record Case(string Path, Func<double, double, int, Dictionary<string, object?>> Body, string PutMember, object PutValue,
        string PatchMember, object PatchValue, string BadMember, object? BadValue, string BadCode);

    public static TheoryData<string> Kinds => new() { "contingents", "stations", "hotspots", "incidents" };

    private static Case CaseOf(string kind) => kind switch
    {
        "contingents" => new("contingents", (_, _, n) => new() { ["neighborhoodId"] = n, ["name"] = "Contingente de prueba", ["officers"] = 24, ["shifts"] = 3,
                ["availability"] = 0.85, ["mode"] = "bike", ["crewSize"] = 2, ["jointUnits"] = 1 },
            "officers", 30, "jointUnits", 2, "crewSize", 3, "entry.crew_for_mode"),
        "stations" => new("stations", (lon, lat, _) => new() { ["name"] = "Base de serenazgo de prueba", ["operator"] = "Municipalidad de Huanchaco", ["lon"] = lon, ["lat"] = lat },
            "name", "Base de serenazgo Norte", "operator", "Serenazgo", "lat", 12.0, "entry.outside_peru"),
        "hotspots" => new("hotspots", (lon, lat, _) => new() { ["name"] = "Mercado de prueba", ["description"] = "robos al paso", ["lon"] = lon, ["lat"] = lat },
            "name", "Mercado central", "description", "robos de celulares", "name", "", "entry.required"),
        _ => new("incidents", (lon, lat, _) => new() { ["category"] = "hurto", ["occurredAt"] = "2024-05-04T21:30", ["lon"] = lon, ["lat"] = lat },
            "category", "robo", "occurredAt", "2024-05-05 08:15", "occurredAt", "2099-01-01T00:00", "entry.future"),
    };

    [SkippableTheory]
    [MemberData(nameof(Kinds))]
    public async Task An_entry_is_created_read_changed_with_its_version_refused_when_stale_and_deleted_every_step_audited(string kind)
    {
        var place = await PlaceAsync();
        var c = CaseOf(kind);
        var client = api.Client();
        var body = c.Body(place.Lon, place.Lat, place.Milagro);

        var created = await Send(client, HttpMethod.Post, $"/api/{c.Path}", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", ETag(created));
        var location = created.Headers.Location!.ToString();
        var id = (await ApiFixture.JsonOf(created)).GetProperty("id").GetInt32();
        Assert.Equal($"/api/{c.Path}/{id}", location);
        try
        {
            var read = await Send(client, HttpMethod.Get, location);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("\"1\"", ETag(read));
            Assert.False(read.Headers.ETag!.IsWeak);
            var json = await ApiFixture.JsonOf(read);
            Assert.Equal(ApiFixture.AdminName, json.GetProperty("changedBy").GetString());
            if (body.ContainsKey("lon")) Assert.Equal(place.Lon, json.GetProperty("lon").GetDouble(), 6);
            Assert.Equal(HttpStatusCode.NotModified, (await Send(client, HttpMethod.Get, location, ifNoneMatch: "\"1\"")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Get, location, ifNoneMatch: "\"7\"")).StatusCode);

            var changed = new Dictionary<string, object?>(body) { [c.PutMember] = c.PutValue };
            Assert.Equal(HttpStatusCode.PreconditionRequired, (await Send(client, HttpMethod.Put, location, changed)).StatusCode);
            var put = await Send(client, HttpMethod.Put, location, changed, ifMatch: "\"1\"");
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal("\"2\"", ETag(put));
            Assert.Equal(JsonSerializer.Serialize(c.PutValue), (await ApiFixture.JsonOf(put)).GetProperty(c.PutMember).GetRawText());

            // Someone who read version 1 saves later: refused, told which version is current and who made it.
            var stale = await Send(client, HttpMethod.Put, location, body, ifMatch: "\"1\"");
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
            Assert.Equal("\"2\"", ETag(stale));
            var staleJson = await ApiFixture.JsonOf(stale);
            Assert.Equal("\"2\"", staleJson.GetProperty("currentETag").GetString());
            Assert.Equal(2, staleJson.GetProperty("currentVersion").GetInt32());
            Assert.Equal(ApiFixture.AdminName, staleJson.GetProperty("changedBy").GetString());
            Assert.Equal(JsonSerializer.Serialize(c.PutValue), (await ApiFixture.JsonOf(await client.GetAsync(location))).GetProperty(c.PutMember).GetRawText());

            var patch = await Send(client, HttpMethod.Patch, location, new Dictionary<string, object?> { [c.PatchMember] = c.PatchValue }, ifMatch: "\"2\"");
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
            Assert.Equal("\"3\"", ETag(patch));
            var patched = await ApiFixture.JsonOf(patch);
            Assert.Equal(JsonSerializer.Serialize(c.PutValue), patched.GetProperty(c.PutMember).GetRawText()); // the rest is kept
            if (c.PatchMember != "occurredAt") Assert.Equal(JsonSerializer.Serialize(c.PatchValue), patched.GetProperty(c.PatchMember).GetRawText());
            else Assert.Equal("2024-05-05T08:15:00-05:00", patched.GetProperty("occurredAt").GetString()); // Lima time

            // A bad member: 422 naming it, said in Spanish or English as asked; nothing changes.
            var bad = new Dictionary<string, object?>(body) { [c.BadMember] = c.BadValue };
            var es = await Send(client, HttpMethod.Put, location, bad, ifMatch: "\"3\"", lang: "es");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, es.StatusCode);
            var esJson = await ApiFixture.JsonOf(es);
            Assert.Equal(c.BadMember, esJson.GetProperty("parameter").GetString());
            Assert.Equal(c.BadCode, esJson.GetProperty("code").GetString());
            Assert.Equal("Rechazado", esJson.GetProperty("title").GetString());
            var args = esJson.GetProperty("args").EnumerateObject().ToDictionary(a => a.Name, a => (object)(a.Value.ValueKind == JsonValueKind.Number
                ? a.Value.GetDouble() : a.Value.ValueKind == JsonValueKind.Array ? a.Value.EnumerateArray().Select(v => v.GetString()!).ToArray() : a.Value.GetString()!));
            var note = new Note(c.BadCode, args);
            Assert.Equal(note.Text("es"), esJson.GetProperty("detail").GetString());
            var en = await ApiFixture.JsonOf(await Send(client, HttpMethod.Put, location, bad, ifMatch: "\"3\"", lang: "en"));
            Assert.Equal(note.Text("en"), en.GetProperty("detail").GetString());
            Assert.NotEqual(note.Text("es"), note.Text("en"));
            Assert.Equal("\"3\"", ETag(await client.GetAsync(location)));

            Assert.Equal(HttpStatusCode.PreconditionRequired, (await Send(client, HttpMethod.Delete, location)).StatusCode);
            Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(client, HttpMethod.Delete, location, ifMatch: "\"2\"")).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await Send(client, HttpMethod.Delete, location, ifMatch: "\"3\"")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(location)).StatusCode);

            var audit = await ApiFixture.JsonOf(await client.GetAsync($"/api/audit?resourceKind={c.Path}&resourceId={id}&limit=100"));
            var trail = audit.GetProperty("entries").EnumerateArray().Reverse()
                .Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("status").GetInt32()}").ToList();
            Assert.Equal([
                $"POST /api/{c.Path} 201", $"PUT /api/{c.Path}/{{id}} 428", $"PUT /api/{c.Path}/{{id}} 200", $"PUT /api/{c.Path}/{{id}} 412",
                $"PATCH /api/{c.Path}/{{id}} 200", $"PUT /api/{c.Path}/{{id}} 422", $"PUT /api/{c.Path}/{{id}} 422",
                $"DELETE /api/{c.Path}/{{id}} 428", $"DELETE /api/{c.Path}/{{id}} 412", $"DELETE /api/{c.Path}/{{id}} 204"], trail);
        }
        finally
        {
            if ((await client.GetAsync(location)).StatusCode == HttpStatusCode.OK)
                await Send(client, HttpMethod.Delete, location, ifMatch: ETag(await client.GetAsync(location)));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kinds))]
    public async Task A_user_of_another_district_cannot_create_there_nor_read_change_or_delete_what_is_there(string kind)
    {
        var place = await PlaceAsync();
        var c = CaseOf(kind);
        var role = kind == "stations" ? Role.Planner : Role.Chief;
        var outsider = await api.ClientAs(role, place.OtherUbigeo);
        var insider = await api.ClientAs(role, place.Ubigeo);
        var body = c.Body(place.Lon, place.Lat, place.Milagro);

        var refused = await Send(outsider, HttpMethod.Post, $"/api/{c.Path}", body);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(place.OtherUbigeo, (await ApiFixture.JsonOf(refused)).GetProperty("detail").GetString());

        var created = await Send(insider, HttpMethod.Post, $"/api/{c.Path}", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        try
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync(location)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await Send(outsider, HttpMethod.Put, location, body, ifMatch: "\"1\"")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await Send(outsider, HttpMethod.Delete, location, ifMatch: "\"1\"")).StatusCode);
            // The viewer role reads but does not write.
            var viewer = await api.ClientAs(Role.Viewer, place.Ubigeo);
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(location)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await Send(viewer, HttpMethod.Delete, location, ifMatch: "\"1\"")).StatusCode);
            Assert.Equal("\"1\"", ETag(await api.Client().GetAsync(location)));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await Send(insider, HttpMethod.Delete, location, ifMatch: "\"1\"")).StatusCode);
        }
    }

    [SkippableFact]
    public async Task A_contingent_names_the_member_that_cannot_be_kept()
    {
        var place = await PlaceAsync();
        var client = api.Client();
        var good = CaseOf("contingents").Body(0, 0, place.Milagro);
        var cases = new (string Member, object? Value, string Code)[]
        {
            ("officers", 0, "entry.out_of_range"), ("shifts", 30, "entry.out_of_range"), ("availability", 1.5, "entry.availability"),
            ("mode", "helicopter", "entry.not_one_of"), ("neighborhoodId", 987654, "entry.unknown_neighborhood"), ("officers", "veinte", "entry.wrong_type"),
            ("name", null, "entry.required"), ("jointUnits", -1, "entry.out_of_range"),
        };
        foreach (var (member, value, code) in cases)
        {
            var response = await Send(client, HttpMethod.Post, "/api/contingents", new Dictionary<string, object?>(good) { [member] = value }, lang: "es");
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{member}={value}: {(int)response.StatusCode}");
            var json = await ApiFixture.JsonOf(response);
            Assert.Equal((member, code), (json.GetProperty("parameter").GetString()!, json.GetProperty("code").GetString()!));
        }
        // Too few officers for one unit a shift: said with the arithmetic.
        var few = await ApiFixture.JsonOf(await Send(client, HttpMethod.Post, "/api/contingents",
            new Dictionary<string, object?>(good) { ["officers"] = 3, ["jointUnits"] = 0, ["availability"] = 1.0 }, lang: "es"));
        Assert.Equal("entry.no_unit", few.GetProperty("code").GetString());
        Assert.Contains("1 efectivos disponibles por turno", few.GetProperty("detail").GetString());
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM contingents"));
    }

    private async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task DeleteIncidentsAsync(string category)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("DELETE FROM incidents WHERE category = @c", connection);
        cmd.Parameters.AddWithValue("c", category);
        await cmd.ExecuteNonQueryAsync();
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [SkippableFact]
    public async Task A_good_CSV_is_imported_whole_in_Lima_time_and_counted_in_PostGIS()
    {
        var place = await PlaceAsync();
        var category = "prueba-csv-" + Guid.NewGuid().ToString("N")[..6];
        var client = api.Client();
        var before = await CountAsync("SELECT count(*) FROM incidents");
        try
        {
            var lonLat = string.Create(Ci, $"""
                lon;lat;fecha;hora;categoria
                {place.Lon};{place.Lat};2024-03-04;21:30;{category}
                {place.Lon + 0.0005};{place.Lat};04/03/2024;06:05;"{category}"
                {place.Lon};{place.Lat + 0.0005};2024-03-05;;{category}

                """);
            var dry = await client.PostAsync("/api/incidents/import?dryRun=true", Csv(lonLat));
            Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
            Assert.Equal((0, 3), ((await ApiFixture.JsonOf(dry)).GetProperty("imported").GetInt32(), (await ApiFixture.JsonOf(dry)).GetProperty("valid").GetInt32()));
            Assert.Equal(before, await CountAsync("SELECT count(*) FROM incidents"));

            var response = await client.PostAsync("/api/incidents/import", Csv(lonLat));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(3, (await ApiFixture.JsonOf(response)).GetProperty("imported").GetInt32());
            Assert.Equal(before + 3, await CountAsync("SELECT count(*) FROM incidents"));
            Assert.Equal(3, await CountAsync("SELECT count(*) FROM incidents WHERE category = @c AND NOT is_synthetic AND version = 1", ("c", category)));
            // 21:30 in Lima is 02:30 UTC the next day; a date alone is midnight in Lima.
            Assert.Equal(1, await CountAsync("SELECT count(*) FROM incidents WHERE category = @c AND occurred_at = '2024-03-05 02:30:00+00'", ("c", category)));
            Assert.Equal(1, await CountAsync("SELECT count(*) FROM incidents WHERE category = @c AND occurred_at = '2024-03-04 11:05:00+00'", ("c", category)));
            Assert.Equal(1, await CountAsync("SELECT count(*) FROM incidents WHERE category = @c AND occurred_at = '2024-03-05 05:00:00+00'", ("c", category)));

            // x/y in UTM 17S, read with the CRS given: the point lands where the lon/lat one did (PostGIS says within 1 cm).
            var (x, y) = BarrioSeguro.Geo.Core.Spatial.Crs.Transform(place.Lon, place.Lat, 4326, 32717);
            var utm = string.Create(Ci, $"x,y,datetime,category\n{x:0.###},{y:0.###},2024-03-06 10:00,{category}-utm\n");
            var projected = await client.PostAsync("/api/incidents/import?crs=EPSG:32717", Csv(utm));
            Assert.Equal(HttpStatusCode.OK, projected.StatusCode);
            Assert.Equal(1, await CountAsync(string.Create(Ci,
                $"SELECT count(*) FROM incidents WHERE category = @c AND ST_DWithin(location::geography, ST_SetSRID(ST_MakePoint({place.Lon}, {place.Lat}), 4326)::geography, 0.01)"),
                ("c", category + "-utm")));
            // Without the CRS, x/y cannot be read.
            var noCrs = await ApiFixture.JsonOf(await client.PostAsync("/api/incidents/import", Csv(utm)));
            Assert.Equal("csv.crs_needed", noCrs.GetProperty("errors")[0].GetProperty("code").GetString());
        }
        finally
        {
            await DeleteIncidentsAsync(category);
            await DeleteIncidentsAsync(category + "-utm");
        }
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM incidents"));
    }

    [SkippableFact]
    public async Task A_bad_CSV_writes_nothing_and_names_the_line_and_column_of_each_bad_cell_in_Spanish()
    {
        var place = await PlaceAsync();
        var category = "prueba-mala-" + Guid.NewGuid().ToString("N")[..6];
        var before = await CountAsync("SELECT count(*) FROM incidents");
        var text = string.Create(Ci, $"""
            lon,lat,date,time,category
            {place.Lon},{place.Lat},2024-03-04,21:30,{category}
            {place.Lon},abc,2024-03-04,21:30,{category}
            {place.Lon},{place.Lat},2099-03-04,21:30,{category}
            {place.Lon},{place.Lat},2024-03-04,25:99,{category}
            {place.Lon},{place.Lat},2024-03-04,21:30,
            -3.7,40.4,2024-03-04,21:30,{category}
            """);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents/import") { Content = Csv(text) };
        request.Headers.TryAddWithoutValidation("Accept-Language", "es");
        var response = await api.Client().SendAsync(request);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var json = await ApiFixture.JsonOf(response);
        var errors = json.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("code").GetString())).ToList();
        Assert.Equal([(3, "lat", "csv.bad_number"), (4, "date", "entry.future"), (5, "time", "csv.bad_time"), (6, "category", "entry.required"),
            (7, "lon", "entry.outside_peru")], errors);
        Assert.Equal("CSV no válido", json.GetProperty("title").GetString());
        Assert.StartsWith("Nada importado: 5 errores; el primero en la línea 3, columna «lat»: «abc» no es un número.", json.GetProperty("detail").GetString());
        Assert.Equal("«abc» no es un número.", json.GetProperty("errors")[0].GetProperty("text").GetString());
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM incidents"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM incidents WHERE category = @c", ("c", category)));

        var missing = await ApiFixture.JsonOf(await api.Client().PostAsync("/api/incidents/import", Csv("lon,lat,category\n-79,-8,robo\n")));
        Assert.Equal(("csv.missing_column", 1), (missing.GetProperty("errors")[0].GetProperty("code").GetString(), missing.GetProperty("errors")[0].GetProperty("line").GetInt32()));
        var json415 = await api.Client().PostAsync("/api/incidents/import", new StringContent(text, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json415.StatusCode);
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM incidents"));
    }

    [SkippableFact]
    public async Task A_chief_of_another_district_imports_nothing()
    {
        var place = await PlaceAsync();
        var category = "prueba-fuera-" + Guid.NewGuid().ToString("N")[..6];
        var outsider = await api.ClientAs(Role.Chief, place.OtherUbigeo);
        var before = await CountAsync("SELECT count(*) FROM incidents");
        var response = await outsider.PostAsync("/api/incidents/import",
            Csv(string.Create(Ci, $"lon,lat,date,category\n{place.Lon},{place.Lat},2024-03-04,{category}\n")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var refusal = await ApiFixture.JsonOf(response);
        Assert.Equal("auth.csv_point_outside", refusal.GetProperty("code").GetString());
        Assert.Contains("Línea 2", refusal.GetProperty("detail").GetString()); // Spanish when no language is asked
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM incidents"));
        await DeleteIncidentsAsync(category);
    }
}
