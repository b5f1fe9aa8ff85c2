using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// What a file answer could not hold as asked (a shapefile's field names cut to 10 bytes, text cut to 254 bytes), sent
/// with the download so nothing is cut silently: one <c>X-Barrio-Warning</c> header per warning, the total in
/// <c>X-Barrio-Warning-Count</c>. Header values are ASCII: the warning is UTF-8 with every byte outside printable ASCII,
/// and '%', percent-encoded (%XX), so JavaScript's <c>decodeURIComponent</c> reads it back.
/// </summary>
public static class WarningHeaders
{
    public const string Name = "X-Barrio-Warning";
    public const string CountName = "X-Barrio-Warning-Count";

    /// <summary>At most this many warnings go out as headers (proxies limit header size); the last one says how many more.</summary>
    public const int MaxHeaders = 50;

    public const string Description =
        "One per thing the file could not hold as asked (e.g. \"description of feature #12 (id 7) cut from 300 to 254 bytes "
        + "(a DBF text field holds 254)\", \"field names cut to 10 bytes: districtUbigeo as districtUb\"). UTF-8, "
        + "percent-encoded outside printable ASCII and for '%' (decodeURIComponent reads it). At most 50; then one saying how many more.";

    public static void Add(HttpResponse response, IReadOnlyList<string> warnings)
    {
        if (warnings.Count == 0) return;
        response.Headers[CountName] = warnings.Count.ToString(CultureInfo.InvariantCulture);
        var listed = warnings.Count <= MaxHeaders ? warnings : warnings.Take(MaxHeaders - 1).ToList();
        foreach (var w in listed) response.Headers.Append(Name, Encode(w));
        if (listed.Count < warnings.Count)
            response.Headers.Append(Name, Encode(string.Create(CultureInfo.InvariantCulture,
                $"{warnings.Count - listed.Count} more warnings not listed (at most {MaxHeaders} are sent); export as GeoPackage to keep every name and value whole")));
    }

    /// <summary>UTF-8, with bytes outside 0x20-0x7E and '%' as %XX.</summary>
    public static string Encode(string warning)
    {
        var sb = new StringBuilder(warning.Length);
        foreach (var b in Encoding.UTF8.GetBytes(warning.ReplaceLineEndings(" ")))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%') sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Lists both headers on the route's 200 answer in the OpenAPI document.</summary>
    public static RouteHandlerBuilder MayWarn(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, context, ct) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers[Name] = new OpenApiHeader { Description = Description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                response.Headers[CountName] = new OpenApiHeader
                {
                    Description = "How many warnings there are in all (absent when none).", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                };
            }
            return Task.CompletedTask;
        });
}
