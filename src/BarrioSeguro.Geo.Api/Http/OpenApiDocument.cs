using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// The OpenAPI document (/openapi/v1.json): GeoJSON values described as GeoJSON rather than as NetTopologySuite's
/// classes, and the headers that <see cref="EditContext"/> reads listed on the routes that take one.
/// </summary>
public static class OpenApiDocument
{
    public static IServiceCollection AddBarrioOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            // OAS 3.0, as /api/conformance claims (oas30): GDAL, QGIS and OWSLib read 3.0; 3.1 has type arrays they do not.
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            o.AddSchemaTransformer(DescribeGeoJson);
            o.AddOperationTransformer(ListEditHeaders);
            o.AddOperationTransformer(RateLimits.ListRefusal);
            o.AddOperationTransformer(OgcOpenApi.DescribeParameters);
            o.AddDocumentTransformer(OgcOpenApi.ShareLimit);
            OpenApiResponses.AddTo(o); // last: every error, the 429 above included, gets the one Problem schema
        });

    private static Task DescribeGeoJson(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        var what = typeof(Geometry).IsAssignableFrom(type) ? "A GeoJSON geometry (RFC 7946), EPSG:4326."
            : typeof(IFeature).IsAssignableFrom(type) ? "A GeoJSON Feature (RFC 7946), EPSG:4326."
            : typeof(FeatureCollection).IsAssignableFrom(type) ? "A GeoJSON FeatureCollection (RFC 7946), EPSG:4326."
            : typeof(IAttributesTable).IsAssignableFrom(type) ? "The properties of a GeoJSON Feature."
            : null;
        if (what is null) return Task.CompletedTask;
        schema.Type = JsonSchemaType.Object;
        schema.Description = what;
        schema.Properties?.Clear();
        schema.Required?.Clear();
        schema.AdditionalPropertiesAllowed = true;
        return Task.CompletedTask;
    }

    private static Task ListEditHeaders(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<EditContext.Headers>().Any()) return Task.CompletedTask;
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-Match", In = ParameterLocation.Header, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Description = "The version the change started from, as the ETag gave it: \"3\".",
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = EditContext.UserHeader, In = ParameterLocation.Header, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Description = "Who makes the change, for the history (when the body names no author).",
        });
        return Task.CompletedTask;
    }
}
