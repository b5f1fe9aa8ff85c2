using System.Data.Common;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Features;

/// <summary>
/// How the feature collections read straight from PostGIS are stored: table, key, geometry column and the attributes
/// in the order their features carry them (the order of <see cref="FeatureCatalog"/>'s features). One place for the
/// streamed export (<see cref="FeatureRows"/>), the items fast path (<see cref="ItemPage"/>) and the vector tiles
/// (<see cref="Tiles.TileStore"/>: table, geometry, the columns and types of the attributes a tile carries, the filters),
/// so all give the same attributes under the same names; the feature catalog's district limit is read from here too.
/// </summary>
internal static class CollectionTables
{
    internal enum Kind { Int, Long, Text, Bool, Time, AreaKm2 }

    /// <summary>One attribute: its column (null when computed from the geometry), its name in features and its type.</summary>
    internal sealed record Column(string? Sql, string Name, Kind Kind);

    /// <summary>
    /// One collection. <paramref name="DistrictFilter"/> limits it to the districts named (@districts);
    /// <paramref name="Always"/> is a condition every read keeps (the deleted are never features). A collection with
    /// neither is public as stored.
    /// </summary>
    internal sealed record Table(string Name, string Key, string Geometry, Column[] Columns, string? DistrictFilter = null, string? Always = null)
    {
        /// <summary>The columns read from the table, in order (computed attributes are not selected).</summary>
        public IEnumerable<string> SelectedColumns => Columns.Where(c => c.Sql is not null).Select(c => c.Sql!);

        /// <summary>Whether it is read as stored, by anyone: no district limit, nothing hidden.</summary>
        public bool IsPublic => DistrictFilter is null && Always is null;
    }

    private static Column Int(string sql, string name) => new(sql, name, Kind.Int);
    private static Column Long(string sql, string name) => new(sql, name, Kind.Long);
    private static Column Text(string sql, string name) => new(sql, name, Kind.Text);
    private static Column Bool(string sql, string name) => new(sql, name, Kind.Bool);

    // Identifiers are constants here, never from a request; values are parameters.
    public static readonly IReadOnlyDictionary<string, Table> All = new Dictionary<string, Table>(StringComparer.Ordinal)
    {
        ["streets"] = new("streets", "id", "geometry",
            [Int("id", "id"), Long("osm_id", "osmId"), Text("name", "name"), Text("class", "class"), Bool("oneway", "oneway"), Int("layer", "layer")]),
        ["stations"] = new("stations", "id", "location", [Int("id", "id"), Long("osm_id", "osmId"), Text("name", "name"), Text("operator", "operator")]),
        ["buildings"] = new("buildings", "id", "geometry", [Int("id", "id"), Long("osm_id", "osmId"), Text("kind", "kind"), Text("name", "name")]),
        ["districts"] = new("districts", "ubigeo", "boundary",
            [Text("ubigeo", "ubigeo"), Text("name", "name"), Text("province", "province"), Text("department", "department")]),
        ["provinces"] = new("provinces", "code", "boundary", [Text("code", "code"), Text("name", "name"), Text("department", "department")]),
        ["departments"] = new("departments", "code", "boundary", [Text("code", "code"), Text("name", "name")]),
        ["neighborhoods"] = new("neighborhoods", "id", "boundary",
            [Int("id", "id"), Text("name", "name"), Text("district_ubigeo", "districtUbigeo"), Text("status", "status"), Int("version", "version"),
             Bool("is_illustrative", "isIllustrative"), new(null, "areaKm2", Kind.AreaKm2), Text("description", "description")],
            DistrictFilter: "t.district_ubigeo = ANY(@districts)", Always: "t.deleted_at IS NULL"),
        ["incidents"] = new("incidents", "id", "location",
            [Int("id", "id"), new("occurred_at", "occurredAt", Kind.Time), Text("category", "category"), Bool("is_synthetic", "isSynthetic")],
            DistrictFilter: "EXISTS (SELECT 1 FROM districts d WHERE d.ubigeo = ANY(@districts) AND ST_Intersects(d.boundary, t.location))"),
    };

    /// <summary>A read column's value as the features carry it (boxed; null for SQL NULL), read once, in order.</summary>
    public static object? Value(DbDataReader reader, int ordinal, Kind kind) =>
        reader.IsDBNull(ordinal) ? null : kind switch
        {
            Kind.Int => reader.GetInt32(ordinal),
            Kind.Long => reader.GetInt64(ordinal),
            Kind.Bool => reader.GetBoolean(ordinal),
            Kind.Time => reader.GetFieldValue<DateTimeOffset>(ordinal),
            _ => reader.GetString(ordinal),
        };

    /// <summary>A computed attribute's value: the area in km² (4 decimals) of the feature's geometry.</summary>
    public static double AreaKm2(Geometry geometry) => Math.Round(Measure.AreaSquareMeters(geometry) / 1e6, 4);
}
