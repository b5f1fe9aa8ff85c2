using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// The query parameters of the OGC API - Features endpoints in the OpenAPI document, as 17-069r4 and 18-058 define them:
/// limit with its minimum, maximum and default (GDAL and QGIS read them to choose their page size), offset, bbox (4 or
/// 6 numbers), bbox-crs, datetime, crs and f. The handlers read the query themselves (to answer malformed values with a
/// note), so nothing is generated for them.
/// </summary>
public static class OgcOpenApi
{
    public static Task DescribeParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var route = context.Description.RelativePath?.TrimEnd('/') ?? "";
        var method = context.Description.HttpMethod;
        if (method is not ("GET" or "HEAD")) return Task.CompletedTask;
        var isItems = route == "api/collections/{name}/items";
        var isItem = route == "api/collections/{name}/items/{id}";
        var isOgc = isItems || isItem || route is "api" or "api/conformance" or "api/collections" or "api/collections/{name}";
        if (!isOgc) return Task.CompletedTask;
        operation.Parameters ??= [];
        var names = new HashSet<string>(operation.Parameters.Select(p => p.Name ?? ""));
        void Add(OpenApiParameter p)
        {
            if (names.Add(p.Name!)) operation.Parameters!.Add(p);
        }

        if (isItems)
        {
            if (names.Add("limit")) operation.Parameters.Add(new OpenApiParameterReference("limit", context.Document));
            Add(Query("offset", "How many matching features to skip (the next links use it).",
                new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0", Default = JsonValue.Create(0) }));
            var bbox = Query("bbox", "minLon,minLat,maxLon,maxLat (or 6 numbers with min/max height, ignored: the data is 2D), in bbox-crs (default CRS84).",
                new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = 4, MaxItems = 6, Items = new OpenApiSchema { Type = JsonSchemaType.Number } });
            bbox.Style = ParameterStyle.Form;
            bbox.Explode = false;
            Add(bbox);
            Add(Query("bbox-crs", "The CRS of bbox (OGC API - Features Part 2), one of the collection's crs list; default CRS84.", CrsSchema()));
            Add(Query("datetime", "An RFC 3339 date-time or an interval (start/end, either end open as '..' or empty). Only incidents have time (occurredAt); other collections match any datetime.",
                new OpenApiSchema { Type = JsonSchemaType.String }));
        }
        if (isItems || isItem)
            Add(Query("crs", "The CRS of the answer's geometries (OGC API - Features Part 2); default CRS84. EPSG:4326 by its URI is latitude first.", CrsSchema()));
        Add(Query("f", "The answer's format: json (GeoJSON for features) or html; without it, the Accept header decides.",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("json"), JsonValue.Create("html")] }));
        return Task.CompletedTask;
    }

    /// <summary>
    /// limit as the standard's own OpenAPI fragments have it, in components/parameters/limit: QGIS 3.22 reads its page
    /// size (maximum, default) there and only there.
    /// </summary>
    public static Task ShareLimit(Microsoft.OpenApi.OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        document.Components.Parameters["limit"] = Query("limit", "How many features in a page: 1 to 10000 (a larger value is taken as 10000); default 1000.",
            new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Minimum = "1",
                Maximum = QueryParameters.MaxLimit.ToString(CultureInfo.InvariantCulture),
                Default = JsonValue.Create(QueryParameters.DefaultLimit),
            });
        return Task.CompletedTask;
    }

    private static OpenApiSchema CrsSchema() => new()
    {
        Type = JsonSchemaType.String,
        Format = "uri",
        Default = JsonValue.Create(QueryParameters.Crs84),
        Enum = [.. QueryParameters.OfferedCrs.Select(c => (JsonNode)JsonValue.Create(c)!)],
    };

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Query, Required = false, Description = description, Schema = schema };
}
