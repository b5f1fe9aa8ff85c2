using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BarrioSeguro.Geo.Data.Accounts;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// Vector tiles (issue 14.6, OGC API - Tiles): a table of requests and answers in the style of the OGC test suite, the
/// tiles read back by GDAL's MVT driver and counted against PostGIS itself, ETags and 304s, and who may read what.
/// </summary>
[Collection(ApiCollection.Name)]
public class TileEndpointsTests(ApiFixture api)
{
    private const string Mvt = "application/vnd.mapbox-vector-tile";

    public static TheoryData<string, int, string?, string?, string?> Table() => new()
    {
        // path, status, content type, JSON pointer, expected value at it
        { "/api/collections/streets/tiles", 200, "application/json", "/tilesets/0/tileMatrixSetURI", "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad" },
        { "/api/collections/streets/tiles", 200, "application/json", "/tilesets/0/dataType", "vector" },
        { "/api/collections/districts/tiles/WebMercatorQuad", 200, "application/json", "/layers/0/id", "districts" },
        { "/api/collections/streets/tiles/WebMercatorQuad", 200, "application/json", "/links/3/rel", "describedby" },
        { "/api/collections/streets/tiles/WebMercatorQuad/tilejson", 200, "application/json", "/tilejson", "3.0.0" },
        { "/api/collections/streets/tiles/WebMercatorQuad/tilejson", 200, "application/json", "/vector_layers/0/minzoom", "10" },
        { "/api/collections/stations/tiles/WebMercatorQuad/tilejson", 200, "application/json", "/vector_layers/0/id", "stations" },
        { "/api/collections/incidents/tiles", 404, "application/problem+json", "/code", "tiles.no_tileset" },
        { "/api/collections/nothing/tiles/WebMercatorQuad/0/0/0", 404, "application/problem+json", "/code", "tiles.no_tileset" },
        { "/api/collections/streets/tiles/WorldCRS84Quad", 404, "application/problem+json", "/code", "tiles.no_matrix_set" },
        { "/api/collections/streets/tiles/WorldCRS84Quad/0/0/0", 404, "application/problem+json", "/code", "tiles.no_matrix_set" },
        { "/api/collections/streets/tiles/WebMercatorQuad/25/0/0", 404, "application/problem+json", "/code", "tiles.outside_matrix" },
        { "/api/collections/streets/tiles/WebMercatorQuad/3/8/0", 404, "application/problem+json", "/args/last", "7" },
        { "/api/collections/streets/tiles/WebMercatorQuad/3/0/8", 404, "application/problem+json", "/code", "tiles.outside_matrix" },
        { "/api/collections/streets/tiles/WebMercatorQuad/3/-1/0", 404, "application/problem+json", "/code", "tiles.outside_matrix" },
        { "/api/collections/streets/tiles/WebMercatorQuad/-1/0/0", 404, "application/problem+json", "/code", "tiles.outside_matrix" },
        { "/api/collections/streets/tiles/WebMercatorQuad/a/0/0", 400, "application/problem+json", "/code", "tiles.not_integer" },
        { "/api/collections/streets/tiles/WebMercatorQuad/3/1.5/0", 400, "application/problem+json", "/args/name", "y" },
        { "/api/collections/streets/tiles/WebMercatorQuad/3/0/0x1", 400, "application/problem+json", "/args/name", "x" },
        // Empty tiles are 204 with no body (OGC API - Tiles allows it): the Gulf of Guinea has no street of ours.
        { "/api/collections/streets/tiles/WebMercatorQuad/14/8192/8192", 204, null, null, null },
        // Below a tileset's first zoom tiles are empty, not missing: streets start at z10.
        { "/api/collections/streets/tiles/WebMercatorQuad/9/0/0", 204, null, null, null },
    };

    [SkippableTheory]
    [MemberData(nameof(Table))]
    public async Task Requests_get_the_answers_of_the_table(string path, int status, string? contentType, string? pointer, string? expected)
    {
        var response = await api.Client().GetAsync(path);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (status == 204) { Assert.Empty(body); Assert.NotNull(response.Headers.ETag); return; }
        var value = At(JsonDocument.Parse(body).RootElement, pointer!);
        Assert.Equal(expected, value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());
    }

    [SkippableFact]
    public async Task Gdal_reads_a_street_tile_with_as_many_features_as_postgis_puts_in_it()
    {
        var (z, x, y) = await MilagroTileAsync(15);
        var response = await api.AnonymousClient().GetAsync($"/api/collections/streets/tiles/WebMercatorQuad/{z}/{y}/{x}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Mvt, response.Content.Headers.ContentType?.MediaType);
        var file = Path.Combine(Path.GetTempPath(), $"barrio-tile-{Guid.NewGuid():N}.pbf");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        try
        {
            var info = await GdalTool.RunAsync("ogrinfo", "-ro", "-so", "-al", "-oo", $"X={x}", "-oo", $"Y={y}", "-oo", $"Z={z}", file);
            Assert.Contains("Layer name: streets", info);
            var gdalCount = FeatureCount(info);

            // PostGIS's own count: every street ST_AsMVTGeom keeps in the tile (no simplification, no class rule at z15),
            // and between the streets meeting the tile and those meeting it with its 64-unit margin.
            await using var db = new NpgsqlConnection(api.ConnectionString);
            await db.OpenAsync();
            async Task<long> Count(string where)
            {
                await using var c = new NpgsqlCommand($"SELECT count(*) FROM streets s WHERE {where}", db);
                c.Parameters.AddWithValue("z", z); c.Parameters.AddWithValue("x", x); c.Parameters.AddWithValue("y", y);
                return (long)(await c.ExecuteScalarAsync())!;
            }
            var kept = await Count("ST_AsMVTGeom(ST_Transform(s.geometry, 3857), ST_TileEnvelope(@z, @x, @y), 4096, 64, true) IS NOT NULL");
            var inside = await Count("ST_Intersects(ST_Transform(s.geometry, 3857), ST_TileEnvelope(@z, @x, @y))");
            var withMargin = await Count("ST_Intersects(ST_Transform(s.geometry, 3857), ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096))");
            Assert.True(inside > 0, "the tile of El Milagro has streets");
            Assert.Equal(kept, gdalCount);
            Assert.InRange(gdalCount, inside, withMargin);

            // And the attributes the viewer identifies a street by.
            var full = await GdalTool.RunAsync("ogrinfo", "-ro", "-al", "-oo", $"X={x}", "-oo", $"Y={y}", "-oo", $"Z={z}", file);
            Assert.Contains("class (String)", full);
            Assert.Contains("name (String)", full);
        }
        finally { File.Delete(file); }
    }

    [SkippableFact]
    public async Task A_district_tile_at_z5_is_simplified_and_gdal_reads_it()
    {
        var (z, x, y) = await MilagroTileAsync(5);
        var bytes = await api.AnonymousClient().GetByteArrayAsync($"/api/collections/districts/tiles/WebMercatorQuad/{z}/{y}/{x}");
        await using var db = new NpgsqlConnection(api.ConnectionString);
        await db.OpenAsync();
        // The same tile (same margin) with full vertices and the same attributes, as raw ST_AsMVT makes it: ours is no bigger.
        await using var c = new NpgsqlCommand("""
            SELECT length(ST_AsMVT(f.*, 'districts', 4096, 'geom')), count(*) FROM (
              SELECT ST_AsMVTGeom(ST_Transform(d.boundary, 3857), ST_TileEnvelope(@z, @x, @y), 4096, 64, true) AS geom,
                     d.ubigeo, d.name, d.province, d.department
              FROM districts d WHERE d.boundary && ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 64.0 / 4096), 4326)) f
              WHERE f.geom IS NOT NULL
            """, db);
        c.Parameters.AddWithValue("z", z); c.Parameters.AddWithValue("x", x); c.Parameters.AddWithValue("y", y);
        await using var r = await c.ExecuteReaderAsync();
        await r.ReadAsync();
        var (rawBytes, rawCount) = (r.GetInt32(0), r.GetInt64(1));
        Assert.True(bytes.Length <= rawBytes, $"simplified tile {bytes.Length} B, full one {rawBytes} B");

        var file = Path.Combine(Path.GetTempPath(), $"barrio-tile-{Guid.NewGuid():N}.mvt");
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            var info = await GdalTool.RunAsync("ogrinfo", "-ro", "-so", "-al", "-oo", $"X={x}", "-oo", $"Y={y}", "-oo", $"Z={z}", file);
            Assert.Contains("Layer name: districts", info);
            Assert.InRange(FeatureCount(info), 1, rawCount);
        }
        finally { File.Delete(file); }
    }

    [SkippableFact]
    public async Task If_none_match_gives_304_and_an_edit_changes_the_etag()
    {
        var (z, x, y) = await MilagroTileAsync(15);
        var url = $"/api/collections/streets/tiles/WebMercatorQuad/{z}/{y}/{x}";
        var client = api.AnonymousClient();
        var first = await client.GetAsync(url);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Contains("no-cache", first.Headers.CacheControl!.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);

        // Any write to the table (here psql-like, as the CLI's imports write) changes the data version.
        await using (var db = new NpgsqlConnection(api.ConnectionString))
        {
            await db.OpenAsync();
            await using var c = new NpgsqlCommand("UPDATE streets SET name = name WHERE id = (SELECT min(id) FROM streets)", db);
            Assert.Equal(1, await c.ExecuteNonQueryAsync());
        }
        using var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.IfNoneMatch.Add(etag);
        var changed = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [SkippableFact]
    public async Task Police_layers_need_sign_in_and_keep_to_the_readers_districts()
    {
        var (z, x, y) = await MilagroTileAsync(14);
        var url = $"/api/collections/neighborhoods/tiles/WebMercatorQuad/{z}/{y}/{x}";
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.AnonymousClient().GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.AnonymousClient().GetAsync("/api/collections/blocks/tiles/WebMercatorQuad/14/0/0")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.AnonymousClient().GetAsync("/api/collections/neighborhoods/tiles/WebMercatorQuad/tilejson")).StatusCode);
        // Public layers are anonymous.
        Assert.Equal(HttpStatusCode.OK, (await api.AnonymousClient().GetAsync($"/api/collections/districts/tiles/WebMercatorQuad/{z}/{y}/{x}")).StatusCode);

        var ubigeo = await MilagroUbigeoAsync();
        var other = ubigeo == "130101" ? "150101" : "130101";
        var inside = await (await api.ClientAs(Role.Chief, ubigeo)).GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        Assert.Contains("private", inside.Headers.CacheControl!.ToString());
        var outside = await (await api.ClientAs(Role.Chief, other)).GetAsync(url);
        Assert.Equal(HttpStatusCode.NoContent, outside.StatusCode);
        // The districts are in the ETag: a tile cached for one reader is never a 304 for another.
        Assert.NotEqual(inside.Headers.ETag, outside.Headers.ETag);
        using var reuse = new HttpRequestMessage(HttpMethod.Get, url);
        reuse.Headers.IfNoneMatch.Add(inside.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NoContent, (await (await api.ClientAs(Role.Chief, other)).SendAsync(reuse)).StatusCode);
    }

    [SkippableFact]
    public async Task Blocks_of_a_neighborhood_are_tiled_for_its_district_only_and_recomputing_them_changes_the_etag()
    {
        var id = await api.MilagroIdAsync();
        var admin = api.Client();
        var (z, x, y) = await MilagroTileAsync(15);
        var url = $"/api/collections/blocks/tiles/WebMercatorQuad/{z}/{y}/{x}";
        var before = (await admin.GetAsync(url)).Headers.ETag;
        // A write through the API (computing the blocks again) changes the data version, so the ETag.
        var made = await admin.PostAsync($"/api/neighborhoods/{id}/blocks", null);
        Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());
        var tile = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.NotNull(before);
        Assert.NotEqual(before, tile.Headers.ETag);
        var file = Path.Combine(Path.GetTempPath(), $"barrio-tile-{Guid.NewGuid():N}.pbf");
        await File.WriteAllBytesAsync(file, await tile.Content.ReadAsByteArrayAsync());
        try
        {
            var info = await GdalTool.RunAsync("ogrinfo", "-ro", "-so", "-al", "-oo", $"X={x}", "-oo", $"Y={y}", "-oo", $"Z={z}", file);
            Assert.Contains("Layer name: blocks", info);
            Assert.True(FeatureCount(info) > 0);
        }
        finally { File.Delete(file); }
        var ubigeo = await MilagroUbigeoAsync();
        var other = ubigeo == "130101" ? "150101" : "130101";
        Assert.Equal(HttpStatusCode.OK, (await (await api.ClientAs(Role.Planner, ubigeo)).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await (await api.ClientAs(Role.Planner, other)).GetAsync(url)).StatusCode);
    }

    private static long FeatureCount(string ogrinfo)
    {
        var line = ogrinfo.Split('\n').First(l => l.StartsWith("Feature Count:", StringComparison.Ordinal));
        return long.Parse(line["Feature Count:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> MilagroUbigeoAsync()
    {
        var id = await api.MilagroIdAsync();
        var n = await ApiFixture.JsonOf(await api.Client().GetAsync($"/api/collections/neighborhoods/items/{id}"));
        return n.GetProperty("properties").GetProperty("districtUbigeo").GetString()!;
    }

    /// <summary>The tile at zoom z holding a point inside El Milagro.</summary>
    private async Task<(int Z, int X, int Y)> MilagroTileAsync(int z)
    {
        api.Require();
        var id = await api.MilagroIdAsync();
        await using var db = new NpgsqlConnection(api.ConnectionString);
        await db.OpenAsync();
        await using var c = new NpgsqlCommand("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(boundary) AS p FROM neighborhoods WHERE id = @id) s", db);
        c.Parameters.AddWithValue("id", id);
        await using var r = await c.ExecuteReaderAsync();
        await r.ReadAsync();
        var (lon, lat) = (r.GetDouble(0), r.GetDouble(1));
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var rad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n);
        return (z, x, y);
    }

    private static JsonElement At(JsonElement root, string pointer)
    {
        var e = root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
            e = e.ValueKind == JsonValueKind.Array ? e[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : e.GetProperty(part);
        return e;
    }
}
