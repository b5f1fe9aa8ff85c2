using System.Data;
using BarrioSeguro.Geo.Data.Features;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace BarrioSeguro.Geo.Data.Tiles;

/// <summary>A collection served as Mapbox vector tiles: its table, one layer of the same name, and its zooms.</summary>
/// <param name="Name">The collection's name in URLs and the layer's name in each tile.</param>
/// <param name="Title">A title for people.</param>
/// <param name="GeometryType">The OGC geometry type of every feature.</param>
/// <param name="MinZoom">The first zoom whose tiles may hold features (below it tiles are empty).</param>
/// <param name="Fields">The attributes each feature carries, with their TileJSON type (String, Number, Boolean).</param>
public sealed record TiledCollection(string Name, string Title, string GeometryType, int MinZoom, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// Vector tiles made by PostGIS: one parameterized SQL per tile (ST_TileEnvelope, ST_AsMVTGeom, ST_AsMVT), and the
/// data version of each tiled table kept by PostgreSQL itself (the Tiles migration's statement triggers bump
/// <c>tile_versions</c> on every insert, update, delete or truncate, whoever writes: the service, the CLI or psql).
/// PostGIS rather than NetTopologySuite.IO.VectorTiles: the tile is clipped, simplified and encoded next to the
/// GiST index, and only its bytes cross the wire (no feature is loaded into .NET).
/// </summary>
public sealed class TileStore(BarrioDbContext db)
{
    /// <summary>The deepest zoom of the WebMercatorQuad tile matrix set (OGC 17-083r4: 0 to 24).</summary>
    public const int MaxZoom = 24;

    /// <summary>Tile extent in tile units (the MVT default) and the margin around it, in the same units.</summary>
    public const int Extent = 4096, Buffer = 64;

    public static readonly IReadOnlyList<TiledCollection> Collections =
    [
        Stored("streets", 10, "id", "name", "class", "oneway"),
        Stored("districts", 0, "ubigeo", "name", "province", "department"),
        Stored("provinces", 0, "code", "name", "department"),
        Stored("departments", 0, "code", "name"),
        Stored("neighborhoods", 0, "id", "name", "districtUbigeo", "status", "version", "isIllustrative"),
        new("blocks", "Blocks (manzanas) of neighbourhoods and districts", "Polygon", 12,
            Fields(("id", "String"), ("scope", "String"), ("areaM2", "Number"), ("incidents", "Number"), ("buildings", "Number"))),
        Stored("stations", 8, "id", "name", "operator"),
    ];

    /// <summary>
    /// A published collection tiled as it is stored (<see cref="CollectionTables"/>): its title and geometry type as
    /// the feature catalog has them, and the attributes named, typed by their column.
    /// </summary>
    private static TiledCollection Stored(string name, int minZoom, params string[] fields)
    {
        var info = FeatureCatalog.Find(name) ?? throw new KeyNotFoundException($"No collection named '{name}'.");
        var table = CollectionTables.All[name];
        return new(name, info.Title, info.GeometryType, minZoom, fields.ToDictionary(f => f, f => table.Columns.Single(c => c.Name == f).Kind switch
        {
            CollectionTables.Kind.Int or CollectionTables.Kind.Long => "Number",
            CollectionTables.Kind.Bool => "Boolean",
            _ => "String",
        }, StringComparer.Ordinal));
    }

    /// <summary>The tiled collections a district limit applies to (police data).</summary>
    public static readonly IReadOnlySet<string> DistrictLimited = new HashSet<string>(["neighborhoods", "blocks"], StringComparer.Ordinal);

    public static bool Exists(string name) => Collections.Any(c => c.Name == name);

    public static TiledCollection? Find(string name) => Collections.FirstOrDefault(c => c.Name == name);

    /// <summary>True when z, x and y name a tile of WebMercatorQuad: zoom 0 to 24, column and row 0 to 2^z - 1.</summary>
    public static bool InMatrix(int z, int x, int y) => z is >= 0 and <= MaxZoom && x >= 0 && y >= 0 && x < 1L << z && y < 1L << z;

    /// <summary>
    /// The OSM classes a street tile holds at a zoom (null: every class). Main roads from z10, secondary and tertiary from
    /// z12, residential streets from z13, every path and service way from z14: the rule a viewer's eye needs, and it
    /// keeps a z10-z12 tile of a city small.
    /// </summary>
    public static string[]? StreetClassesAt(int z) => z switch
    {
        >= 14 => null,
        13 => [.. MainRoads, .. Secondary, .. Residential],
        12 => [.. MainRoads, .. Secondary],
        _ => MainRoads,
    };

    private static readonly string[] MainRoads = ["motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link"];
    private static readonly string[] Secondary = ["secondary", "secondary_link", "tertiary", "tertiary_link"];
    private static readonly string[] Residential = ["residential", "unclassified", "living_street", "road"];

    /// <summary>The data version of a tiled collection's table (changes with every write to it).</summary>
    public async Task<long> VersionAsync(string collection, CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT version FROM tile_versions WHERE collection = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Table(collection) });
        return await command.ExecuteScalarAsync(ct) is long v ? v : 0;
    }

    /// <summary>
    /// [west, south, east, north] of a tiled collection in degrees, or null when it is empty. Under a district limit a
    /// police layer's bounds are those of the districts (public), so they tell nothing of what lies outside them.
    /// </summary>
    public async Task<double[]?> BoundsAsync(string collection, IReadOnlyCollection<string> districts, CancellationToken ct)
    {
        var c = Find(collection) ?? throw new KeyNotFoundException($"No tiled collection named '{collection}'.");
        var limited = districts.Count > 0 && DistrictLimited.Contains(collection);
        var column = CollectionTables.All.TryGetValue(c.Name, out var table) ? table.Geometry : "geometry"; // blocks: geometry
        var sql = limited
            ? "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(boundary) AS e FROM districts WHERE ubigeo = ANY($1)) s"
            : $"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent({column}) AS e FROM {c.Name}) s";
        var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        if (limited) command.Parameters.Add(new NpgsqlParameter { Value = districts.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || await reader.IsDBNullAsync(0, ct)) return null;
        return [reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)];
    }

    /// <summary>
    /// One tile's bytes (empty when no feature reaches the tile). A district limit (ubigeos; null or empty: all of Peru)
    /// keeps the neighbourhoods of those districts and the blocks of those districts and of their neighbourhoods.
    /// </summary>
    public async Task<byte[]> TileAsync(string collection, int z, int x, int y, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        var c = Find(collection) ?? throw new KeyNotFoundException($"No tiled collection named '{collection}'.");
        if (!InMatrix(z, x, y)) throw new ArgumentOutOfRangeException(nameof(z), $"Tile {z}/{y}/{x} is outside WebMercatorQuad.");
        if (z < c.MinZoom) return [];
        var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(Sql(collection), connection);
        command.Parameters.Add(new NpgsqlParameter<int>("z", z));
        command.Parameters.Add(new NpgsqlParameter<int>("x", x));
        command.Parameters.Add(new NpgsqlParameter<int>("y", y));
        command.Parameters.Add(new NpgsqlParameter<double>("margin", (double)Buffer / Extent));
        command.Parameters.Add(new NpgsqlParameter<double>("tolerance", Tolerance(z)));
        command.Parameters.Add(new NpgsqlParameter("districts", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = districts is { Count: > 0 } && DistrictLimited.Contains(collection) ? districts.ToArray() : DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter("classes", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = collection == "streets" && StreetClassesAt(z) is { } classes ? classes : DBNull.Value,
        });
        return await command.ExecuteScalarAsync(ct) as byte[] ?? [];
    }

    /// <summary>
    /// Half a tile unit in degrees of longitude at zoom z: vertices closer than that land on the same tile unit, so
    /// simplifying by it before the transform changes nothing a viewer sees (a z5 district keeps tens of vertices,
    /// not thousands).
    /// </summary>
    public static double Tolerance(int z) => 360.0 / (1L << z) / Extent / 2;

    /// <summary>The tile's SQL for a collection: every value is a parameter; table and columns come from the list above.</summary>
    public static string Sql(string collection)
    {
        var tiled = Find(collection) ?? throw new KeyNotFoundException($"No tiled collection named '{collection}'.");
        var (table, geometry, columns, filter, idColumn) = collection == "blocks"
            ? ("blocks", "geometry",
                "t.id, t.scope, round(t.area_square_meters::numeric, 1)::float8 AS \"areaM2\", t.incidents, t.buildings",
                // A neighbourhood's blocks go with it: hidden once it is deleted, and limited to its district.
                """
                AND NOT EXISTS (SELECT 1 FROM neighborhoods n WHERE t.scope = 'neighborhood:' || n.id AND n.deleted_at IS NOT NULL)
                AND (@districts::text[] IS NULL
                     OR (t.scope LIKE 'district:%' AND substr(t.scope, 10) = ANY(@districts))
                     OR EXISTS (SELECT 1 FROM neighborhoods n WHERE t.scope = 'neighborhood:' || n.id AND n.district_ubigeo = ANY(@districts)))
                """, null)
            : StoredSql(CollectionTables.All[collection], tiled);
        var isPoint = tiled.GeometryType == "Point";
        // Lines and polygons: clipped to the tile (with its margin) and simplified in lon/lat before the transform.
        var shape = isPoint
            ? $"t.{geometry}"
            : $"ST_Simplify(ST_ClipByBox2D(t.{geometry}, b.box), @tolerance)";
        var id = idColumn is null ? "NULL" : $"'{idColumn}'";
        return $"""
            WITH b AS (
                SELECT ST_TileEnvelope(@z, @x, @y) AS env,
                       ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => @margin), 4326) AS box),
            f AS (
                SELECT ST_AsMVTGeom(ST_Transform({shape}, 3857), b.env, {Extent}, {Buffer}, true) AS geom, {columns}
                FROM {table} t, b
                WHERE t.{geometry} && b.box {filter})
            SELECT ST_AsMVT(f.*, '{collection}', {Extent}, 'geom'{(idColumn is null ? "" : $", {id}")}) FROM f WHERE f.geom IS NOT NULL
            """;
    }

    /// <summary>
    /// A stored collection's table, geometry, attribute columns (as their feature names), filter (what every read
    /// keeps, the district limit, a street tile's classes) and MVT id (an integer key only).
    /// </summary>
    private static (string Table, string Geometry, string Columns, string Filter, string? IdColumn) StoredSql(CollectionTables.Table table, TiledCollection tiled)
    {
        var columns = string.Join(", ", tiled.Fields.Keys.Select(name => table.Columns.Single(c => c.Name == name).Sql is var sql && sql == name
            ? $"t.{sql}" : $"t.{sql} AS \"{name}\""));
        var filter = new List<string>();
        if (table.Always is { } always) filter.Add($"AND {always}");
        if (table.DistrictFilter is { } district && DistrictLimited.Contains(tiled.Name)) filter.Add($"AND (@districts::text[] IS NULL OR {district})");
        if (tiled.Name == "streets") filter.Add("AND (@classes::text[] IS NULL OR t.class = ANY(@classes))");
        var id = table.Columns[0] is { Kind: CollectionTables.Kind.Int } key && tiled.Fields.ContainsKey(key.Name) ? table.Key : null;
        return (table.Name, table.Geometry, columns, string.Join(" ", filter), id);
    }

    private static string Table(string collection) =>
        Find(collection)?.Name ?? throw new KeyNotFoundException($"No tiled collection named '{collection}'.");

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        return connection;
    }

    private static IReadOnlyDictionary<string, string> Fields(params (string Name, string Type)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal);
}
