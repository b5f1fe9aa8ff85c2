using BarrioSeguro.Geo.Core.Domain;

namespace BarrioSeguro.Geo.Data.Features;

/// <summary>The JSON Schema types a queryable can have (OGC API Features Part 3).</summary>
public enum QueryableType { String, Integer, Number, Boolean, Timestamp, Geometry }

/// <summary>A property a filter, sortby or properties may name: its published name, the entity property behind it, its type.</summary>
/// <param name="Name">The name in features and filters, e.g. "occurredAt".</param>
/// <param name="Member">The entity's CLR property (EF maps it to the column), e.g. "OccurredAt".</param>
/// <param name="GeometryType">For the geometry: its OGC type, e.g. "MultiPolygon".</param>
public sealed record Queryable(string Name, string Member, QueryableType Type, string Title, string? GeometryType = null);

/// <summary>
/// The whitelist of each collection's queryables: the only identifiers a filter or a sort can reach. Computed attributes
/// (a neighbourhood's areaKm2) are not queryable; they are still returned and may be chosen by properties.
/// </summary>
public static class Queryables
{
    private static Queryable S(string name, string member, string title) => new(name, member, QueryableType.String, title);
    private static Queryable I(string name, string member, string title) => new(name, member, QueryableType.Integer, title);
    private static Queryable B(string name, string member, string title) => new(name, member, QueryableType.Boolean, title);
    private static Queryable G(string member, string type) => new("geometry", member, QueryableType.Geometry, "Geometry", type);

    private static readonly IReadOnlyDictionary<string, (Type Entity, IReadOnlyList<Queryable> List)> ByCollection =
        new Dictionary<string, (Type, IReadOnlyList<Queryable>)>(StringComparer.Ordinal)
        {
            ["districts"] = (typeof(District), [S("ubigeo", "Ubigeo", "INEI ubigeo"), S("name", "Name", "Name"), S("province", "Province", "Province"),
                S("department", "Department", "Department"), G("Boundary", "MultiPolygon")]),
            ["provinces"] = (typeof(Province), [S("code", "Code", "INEI code"), S("name", "Name", "Name"), S("department", "Department", "Department"),
                G("Boundary", "MultiPolygon")]),
            ["departments"] = (typeof(Department), [S("code", "Code", "INEI code"), S("name", "Name", "Name"), G("Boundary", "MultiPolygon")]),
            ["neighborhoods"] = (typeof(Neighborhood), [I("id", "Id", "Id"), S("name", "Name", "Name"), S("districtUbigeo", "DistrictUbigeo", "District ubigeo"),
                S("status", "Status", "Status (Draft, Active, Retired)"), I("version", "Version", "Version"),
                B("isIllustrative", "IsIllustrative", "Illustrative (not official)"), S("description", "Description", "Description"),
                G("Boundary", "MultiPolygon")]),
            ["stations"] = (typeof(Station), [I("id", "Id", "Id"), I("osmId", "OsmId", "OpenStreetMap id"), S("name", "Name", "Name"),
                S("operator", "Operator", "Operator"), G("Location", "Point")]),
            ["streets"] = (typeof(Street), [I("id", "Id", "Id"), I("osmId", "OsmId", "OpenStreetMap id"), S("name", "Name", "Name"),
                S("class", "Class", "Road class (OSM highway)"), B("oneway", "Oneway", "One way"), I("layer", "Layer", "Layer (OSM)"),
                G("Geometry", "MultiLineString")]),
            ["incidents"] = (typeof(Incident), [I("id", "Id", "Id"), new("occurredAt", "OccurredAt", QueryableType.Timestamp, "Occurred at (UTC)"),
                S("category", "Category", "Category"), B("isSynthetic", "IsSynthetic", "Synthetic (made for tests)"), G("Location", "Point")]),
            ["buildings"] = (typeof(Building), [I("id", "Id", "Id"), I("osmId", "OsmId", "OpenStreetMap id"), S("kind", "Kind", "Kind (OSM building)"),
                S("name", "Name", "Name"), G("Geometry", "MultiPolygon")]),
        };

    /// <summary>The queryables of a collection, or null for an unknown collection.</summary>
    public static IReadOnlyList<Queryable>? Of(string collection) => ByCollection.TryGetValue(collection, out var q) ? q.List : null;

    /// <summary>The queryables of the collection an entity type is published as.</summary>
    public static IReadOnlyList<Queryable> Of(Type entity) => ByCollection.Values.First(v => v.Entity == entity).List;

    /// <summary>
    /// The queryables as a JSON Schema (draft 2020-12) object, as Part 3 serves at /collections/{id}/queryables.
    /// </summary>
    public static Dictionary<string, object?> Schema(string collection, string id, string title)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var q in Of(collection)!)
        {
            properties[q.Name] = q.Type switch
            {
                QueryableType.Geometry => new Dictionary<string, object?>
                {
                    ["title"] = q.Title, ["format"] = "geometry-" + q.GeometryType!.ToLowerInvariant(),
                    ["x-ogc-role"] = "primary-geometry",
                },
                QueryableType.Timestamp => new Dictionary<string, object?>
                {
                    ["title"] = q.Title, ["type"] = "string", ["format"] = "date-time", ["x-ogc-role"] = "primary-instant",
                },
                _ => new Dictionary<string, object?>
                {
                    ["title"] = q.Title, ["type"] = q.Type.ToString().ToLowerInvariant(),
                },
            };
        }
        return new Dictionary<string, object?>
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = id,
            ["type"] = "object",
            ["title"] = title,
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }
}
