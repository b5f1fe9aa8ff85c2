using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Every error of the OpenAPI document described the same way: one <c>Problem</c> schema (RFC 9457 with the note's
/// <c>code</c> and <c>args</c>) for each application/problem+json answer, and the 401/403 that the access table
/// (<see cref="AccessTable"/>) implies added to the routes that need sign-in, so a client learns them from the document.
/// </summary>
public static class OpenApiResponses
{
    /// <summary>The name of the ProblemDetails schema under components/schemas.</summary>
    public const string ProblemSchema = "Problem";

    public const string ProblemContentType = "application/problem+json";

    /// <summary>What each error status means in this service (the document's response descriptions).</summary>
    public static readonly IReadOnlyDictionary<int, string> Meanings = new Dictionary<int, string>
    {
        [400] = "Bad request: a malformed or unknown parameter or body; \"parameter\" names it where there is one.",
        [401] = "Not signed in: no valid bearer token (POST /api/auth/token), or it expired or was revoked.",
        [403] = "Forbidden: the user's role or districts do not allow this request.",
        [404] = "Not found: nothing has that id or name.",
        [406] = "Not acceptable: none of the media types the Accept header asks for is served here.",
        [409] = "Conflict: the request does not fit the current state (a version named in the body is old, the data changed).",
        [412] = "Precondition failed: If-Match names a version that is not the current one (\"currentVersion\" says which is).",
        [413] = "Payload too large: the body is over Barrio:MaxUploadBytes.",
        [415] = "Unsupported media type: the body's Content-Type is not one this route reads.",
        [416] = "Range not satisfiable: the Range header asks for bytes the file does not have (no body).",
        [422] = "Unprocessable: the request is well formed but cannot be done (the detail says why, \"code\" and \"args\" are its note).",
        [428] = "Precondition required: the change needs If-Match with the version it started from.",
        [429] = "Too many requests: a rate limit of Barrio:Limits.",
        [503] = "Service unavailable: a part the service needs is not running.",
    };

    public static void AddTo(OpenApiOptions options)
    {
        options.AddDocumentTransformer(AddProblemSchema);
        options.AddOperationTransformer(DescribeErrors);
    }

    private static Task AddProblemSchema(Microsoft.OpenApi.OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();
        return Task.CompletedTask;
    }

    /// <summary>The ProblemDetails every error of the service is (see ApiErrors and ProblemResults).</summary>
    public static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An error (RFC 9457 problem details). The detail is in the request's language (?lang= or Accept-Language); "
            + "code and args are the note it was said from, the same in every language.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI reference naming the kind of problem." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the kind of problem." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong here, in the request's language." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request the problem is about." },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The note's code, e.g. export.unknown_format (GET /api/notes/catalog has every template)." },
            ["args"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object, AdditionalPropertiesAllowed = true,
                Description = "The note's arguments by name (numbers, text or lists).",
            },
            ["parameter"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The query parameter or header at fault, where there is one." },
        },
        AdditionalPropertiesAllowed = true,
    };

    private static Task DescribeErrors(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Responses ??= [];
        var method = context.Description.HttpMethod ?? "GET";
        var pattern = context.Description.ActionDescriptor.AttributeRouteInfo?.Template ?? context.Description.RelativePath ?? "";
        foreach (var status in ImpliedByAccess(AccessTable.For(method, pattern)))
            operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse());

        DescribeBodies(operation, context);
        DescribeRanges(operation);

        foreach (var (name, value) in operation.Responses)
        {
            if (value is not OpenApiResponse response || !int.TryParse(name, out var status) || status < 400) continue;
            if (Meanings.TryGetValue(status, out var meaning) && (string.IsNullOrEmpty(response.Description) || IsDefaultDescription(response.Description)))
                response.Description = meaning;
            var headers = response.Headers;
            if (status == StatusCodes.Status416RangeNotSatisfiable)
            {
                // Written by ASP.NET Core's range processing: no body, the file's length in Content-Range.
                response.Content = null;
                response.Headers = headers ?? new Dictionary<string, IOpenApiHeader>();
                response.Headers.TryAdd("Content-Range", new OpenApiHeader { Description = "bytes */LENGTH: the file's length.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
                continue;
            }
            response.Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemContentType] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
            };
            if (status == 401)
            {
                response.Headers = headers ?? new Dictionary<string, IOpenApiHeader>();
                response.Headers.TryAdd("WWW-Authenticate", new OpenApiHeader { Description = "Bearer: sign in with POST /api/auth/token.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A success declared with a content type but no type (a file, a text written as is) described by its media type:
    /// a binary file, or a JSON object that the route's summary tells.
    /// </summary>
    private static void DescribeBodies(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        foreach (var declared in context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>())
        {
            if (declared.StatusCode is < 200 or >= 300 or 204 || !declared.ContentTypes.Any()) continue;
            if (declared.Type is not null && declared.Type != typeof(void) && declared.Type != typeof(Stream)) continue;
            if (!operation.Responses!.TryGetValue(declared.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var value) || value is not OpenApiResponse response) continue;
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            foreach (var type in declared.ContentTypes)
            {
                if (response.Content.TryGetValue(type, out var media) && media.Schema is { } schema && (schema.Type is not null || schema is OpenApiSchemaReference)) continue;
                var json = type.StartsWith("application/json", StringComparison.Ordinal);
                response.Content[type] = new OpenApiMediaType
                {
                    Schema = json
                        ? new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalPropertiesAllowed = true }
                        : new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                };
            }
        }
    }

    /// <summary>
    /// Export files (<see cref="FileExport"/>) are opened by URL: HEAD and byte ranges (206, 416), with the ETag and
    /// Last-Modified that make If-Range and If-None-Match (304) work.
    /// </summary>
    private static void DescribeRanges(OpenApiOperation operation)
    {
        if (operation.Responses!.TryGetValue("200", out var okValue) is false || okValue is not OpenApiResponse ok
            || ok.Content is null || !ok.Content.Keys.Any(k => k == FileExport.GeoPackage.ContentType || k == FileExport.Shapefile.ContentType)) return;
        static OpenApiHeader Header(string description, string? format = null) =>
            new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = format } };
        ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
        ok.Headers.TryAdd("Accept-Ranges", Header("bytes: single byte ranges are served (Range: bytes=0-99)."));
        ok.Headers.TryAdd("ETag", Header("A strong validator of the file: the same while the exported data is the same."));
        ok.Headers.TryAdd("Last-Modified", Header("When this file of the data was first written.", "date-time"));
        ok.Headers.TryAdd("Content-Length", new OpenApiHeader { Description = "The file's length in bytes (HEAD gives it too).", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" } });
        operation.Responses.TryAdd("206", new OpenApiResponse
        {
            Description = "Partial content: the bytes a Range header asked for (GDAL /vsicurl/, QGIS).",
            Content = ok.Content.ToDictionary(c => c.Key, c => new OpenApiMediaType { Schema = c.Value.Schema }),
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Content-Range"] = Header("bytes FIRST-LAST/LENGTH"),
                ["ETag"] = Header("The whole file's validator."),
            },
        });
        operation.Responses.TryAdd("304", new OpenApiResponse { Description = "Not modified: If-None-Match names the file's current ETag." });
        operation.Responses.TryAdd("416", new OpenApiResponse());
    }

    /// <summary>
    /// The errors the access gate answers before the handler runs: 401 wherever anonymous callers are refused (always,
    /// or for collections that are not base layers), 403 where some signed-in users are refused (a role, a district).
    /// </summary>
    public static IEnumerable<int> ImpliedByAccess(AccessRule rule)
    {
        if (rule.Need == Need.Public) yield break;
        yield return StatusCodes.Status401Unauthorized;
        var everyRole = Enum.GetValues<Role>().All(r => AccessTable.Allows(rule.Need, r, "private"));
        if (!everyRole || rule.Scope != Auth.Scope.None) yield return StatusCodes.Status403Forbidden;
    }

    // ASP.NET Core's own descriptions ("Bad Request", "Not Found"...): replaced by what the status means here.
    private static bool IsDefaultDescription(string description) =>
        Meanings.Keys.Any(k => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(k) == description);
}
