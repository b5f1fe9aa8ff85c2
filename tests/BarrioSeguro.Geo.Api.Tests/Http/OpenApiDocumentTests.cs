using System.Diagnostics;
using System.Net;
using System.Text.Json;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>
/// The OpenAPI document as a whole (issue 14.1): OAS 3.0 as /api/conformance claims, accepted by a validator, and every
/// operation describing its answers: a success with a schema, and each error as a Problem with code and args, the
/// 401/403 that its access rule implies included.
/// </summary>
[Collection(ApiCollection.Name)]
public class OpenApiDocumentTests(ApiFixture api)
{
    private static string? _text;

    private async Task<string> Text()
    {
        if (_text is { } t) return t;
        var response = await api.AnonymousClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _text = await response.Content.ReadAsStringAsync();
        return _text;
    }

    private async Task<JsonElement> Document() => JsonDocument.Parse(await Text()).RootElement;

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement doc) =>
        from path in doc.GetProperty("paths").EnumerateObject()
        from op in path.Value.EnumerateObject()
        where Methods.Contains(op.Name)
        select (path.Name, op.Name, op.Value);

    [SkippableFact]
    public async Task The_document_is_OpenAPI_3_0_as_the_conformance_page_claims()
    {
        var doc = await Document();
        Assert.StartsWith("3.0.", doc.GetProperty("openapi").GetString());
        var conformance = await ApiFixture.JsonOf(await api.AnonymousClient().GetAsync("/api/conformance"));
        Assert.Contains(conformance.GetProperty("conformsTo").EnumerateArray(), c => c.GetString()!.EndsWith("/conf/oas30", StringComparison.Ordinal));

        // Nothing of 3.1 / JSON Schema 2020-12 left anywhere in it.
        var found = new List<string>();
        Walk(doc, "#", (pointer, name, value) =>
        {
            var schemaKeyword = !pointer.EndsWith("/properties", StringComparison.Ordinal); // not a property named so
            if (name == "type" && schemaKeyword && value.ValueKind != JsonValueKind.String) found.Add($"{pointer}: type is {value.ValueKind}");
            if (name == "type" && schemaKeyword && value.ValueKind == JsonValueKind.String && value.GetString() == "null") found.Add($"{pointer}: type null");
            if (name is "const" or "prefixItems" or "unevaluatedProperties" or "$schema" or "$defs" or "jsonSchemaDialect" or "webhooks" or "examples" && !pointer.EndsWith("/properties", StringComparison.Ordinal))
                found.Add($"{pointer}: {name}");
            if (name is "exclusiveMinimum" or "exclusiveMaximum" && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) && !pointer.EndsWith("/properties", StringComparison.Ordinal))
                found.Add($"{pointer}: {name} is a number");
        });
        Assert.True(found.Count == 0, "3.1-only constructs in the 3.0 document:\n" + string.Join("\n", found.Take(30)));
    }

    [SkippableFact]
    public async Task A_validator_accepts_the_document_as_OpenAPI_3_0()
    {
        // openapi-spec-validator (Python) checks the document against the OAS 3.0 schema and its rules.
        var file = Path.Combine(Path.GetTempPath(), $"barrio-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await Text());
        try
        {
            var psi = new ProcessStartInfo("openapi-spec-validator", ["--schema", "3.0.0", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("openapi-spec-validator (pip) is needed.");
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, $"openapi-spec-validator refused the document:\n{await output}\n{await error}");
            Assert.Contains("OK", await output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task Every_operation_describes_its_success_with_a_schema()
    {
        var doc = await Document();
        var missing = new List<string>();
        foreach (var (path, method, op) in Operations(doc))
        {
            var responses = op.GetProperty("responses").EnumerateObject().ToList();
            var successes = responses.Where(r => r.Name.StartsWith('2')).ToList();
            if (successes.Count == 0) { missing.Add($"{method} {path}: no 2xx"); continue; }
            foreach (var ok in successes)
            {
                if (ok.Name == "204")
                {
                    if (ok.Value.TryGetProperty("content", out _)) missing.Add($"{method} {path}: 204 with a body");
                    continue;
                }
                if (!ok.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
                {
                    missing.Add($"{method} {path}: {ok.Name} without content");
                    continue;
                }
                foreach (var media in content.EnumerateObject())
                    if (!media.Value.TryGetProperty("schema", out var schema) || IsEmpty(schema, doc))
                        missing.Add($"{method} {path}: {ok.Name} {media.Name} has an empty schema");
            }
        }
        Assert.True(missing.Count == 0, "Successes not described:\n" + string.Join("\n", missing));
    }

    [SkippableFact]
    public async Task Every_error_is_a_Problem_with_code_and_args()
    {
        var doc = await Document();
        var problem = doc.GetProperty("components").GetProperty("schemas").GetProperty(OpenApiResponses.ProblemSchema);
        foreach (var name in new[] { "type", "title", "status", "detail", "instance", "code", "args" })
            Assert.True(problem.GetProperty("properties").TryGetProperty(name, out _), $"Problem has no {name}.");
        var wrong = new List<string>();
        foreach (var (path, method, op) in Operations(doc))
            // 416 is ASP.NET Core's range processing: Content-Range and no body.
            foreach (var error in op.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5' && r.Name != "416"))
            {
                var reference = error.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out var media)
                    && media.TryGetProperty("schema", out var schema) && schema.TryGetProperty("$ref", out var r) ? r.GetString() : null;
                if (reference != "#/components/schemas/" + OpenApiResponses.ProblemSchema) wrong.Add($"{method} {path} {error.Name}: {reference ?? "no problem+json schema"}");
                if (!error.Value.TryGetProperty("description", out var d) || string.IsNullOrWhiteSpace(d.GetString())) wrong.Add($"{method} {path} {error.Name}: no description");
            }
        Assert.True(wrong.Count == 0, "Errors not described as a Problem:\n" + string.Join("\n", wrong));
    }

    [SkippableFact]
    public async Task Every_endpoint_lists_the_errors_its_access_rule_and_metadata_imply()
    {
        var doc = await Document();
        var endpoints = api.Require().Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription != true)
            .ToList();
        var checkedOperations = 0;
        var wrong = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var raw = endpoint.RoutePattern.RawText ?? "";
            var path = "/" + System.Text.RegularExpressions.Regex.Replace(raw.TrimStart('/'), ":[^}]*}", "}").Replace("?}", "}");
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                if (!doc.GetProperty("paths").TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var op)) continue;
                checkedOperations++;
                var listed = op.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
                var rule = AccessTable.For(method, raw);
                if (rule.Need != Need.Public && !listed.Contains("401")) wrong.Add($"{method} {path}: needs sign-in ({rule.Need}) but lists no 401");
                var someRefused = rule.Scope != Scope.None || Enum.GetValues<BarrioSeguro.Geo.Data.Accounts.Role>().Any(r => !AccessTable.Allows(rule.Need, r, "neighborhoods"));
                if (someRefused && !listed.Contains("403")) wrong.Add($"{method} {path}: some users are refused ({rule.Need}, {rule.Scope}) but it lists no 403");
                // Each status the handler declares (its result types, Produces) is in the document.
                foreach (var declared in endpoint.Metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>().Select(m => m.StatusCode.ToString()))
                    if (!listed.Contains(declared)) wrong.Add($"{method} {path}: declares {declared} but the document does not list it");
            }
        }
        Assert.True(checkedOperations > 60, $"Only {checkedOperations} operations matched the endpoints.");
        Assert.True(wrong.Count == 0, "Errors missing from the document:\n" + string.Join("\n", wrong));
    }

    [SkippableFact]
    public async Task The_transformers_still_work_in_3_0()
    {
        var doc = await Document();
        var paths = doc.GetProperty("paths");
        // Edit headers (EditContext), the rate limit's 429 with Retry-After, GeoJSON described as GeoJSON.
        var put = paths.GetProperty("/api/neighborhoods/{id}").GetProperty("put");
        Assert.Contains(put.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "If-Match");
        var tooMany = paths.GetProperty("/api/neighborhoods/{id}/plans").GetProperty("post").GetProperty("responses").GetProperty("429");
        Assert.True(tooMany.GetProperty("headers").TryGetProperty("Retry-After", out _));
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.False(schemas.TryGetProperty("GeometryFactory", out _));
        var unauthorized = paths.GetProperty("/api/neighborhoods/{id}").GetProperty("get").GetProperty("responses").GetProperty("401");
        Assert.True(unauthorized.GetProperty("headers").TryGetProperty("WWW-Authenticate", out _));
    }

    private static bool IsEmpty(JsonElement schema, JsonElement doc)
    {
        if (schema.ValueKind != JsonValueKind.Object) return true;
        if (schema.TryGetProperty("$ref", out var r))
        {
            var name = r.GetString()!.Split('/').Last();
            return !doc.GetProperty("components").GetProperty("schemas").TryGetProperty(name, out var target) || IsEmpty(target, doc);
        }
        return !schema.EnumerateObject().Any(p => p.Name is "type" or "properties" or "oneOf" or "anyOf" or "allOf" or "items" or "format");
    }

    private static void Walk(JsonElement element, string pointer, Action<string, string, JsonElement> visit)
    {
        if (element.ValueKind == JsonValueKind.Object)
            foreach (var p in element.EnumerateObject())
            {
                visit(pointer, p.Name, p.Value);
                Walk(p.Value, pointer + "/" + p.Name.Replace("~", "~0").Replace("/", "~1"), visit);
            }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray()) Walk(item, $"{pointer}/{i++}", visit);
        }
    }
}
