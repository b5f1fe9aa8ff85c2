using System.Net;

namespace BarrioSeguro.Geo.Printing;

/// <summary>
/// The address under which officers reach the service from the field (Barrio:PublicBaseUrl, <c>barrio fieldkit
/// --base-url</c>): the QR codes and links of the printed kit point there. Never a loopback address (127.0.0.0/8, ::1,
/// localhost) nor an unspecified one (0.0.0.0): a phone scanning it would look for the service on itself. The kit never
/// falls back to the request's own host: without a public address it prints no QR code and says so, and the GPX
/// attached inside the PDF still works offline.
/// </summary>
public sealed class PublicBaseUrl
{
    private PublicBaseUrl(Uri value) => Value = value;

    /// <summary>The absolute http(s) address, path kept (e.g. https://barrio.example.pe/geo), no trailing slash.</summary>
    public Uri Value { get; }

    /// <summary>The address of a path under the base: <c>Of("/api/routes/3/gpx")</c>.</summary>
    public string Of(string path) => Value.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/');

    public override string ToString() => Value.AbsoluteUri.TrimEnd('/');

    /// <summary>Reads an address; null with the reason when it is not an absolute http(s) address or is loopback.</summary>
    public static PublicBaseUrl? Parse(string text, out string? reason)
    {
        reason = null;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            reason = $"'{text}' is not an absolute http(s) address (e.g. https://barrio.example.pe)";
            return null;
        }
        if (IsLocal(uri))
        {
            reason = $"'{text}' is a loopback address: a phone in the field cannot reach it; give the address officers reach the service at";
            return null;
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            reason = $"'{text}' has a query or fragment: give only the scheme, host, port and path";
            return null;
        }
        return new PublicBaseUrl(uri);
    }

    /// <summary>True for localhost, 127.0.0.0/8, ::1 and the unspecified addresses.</summary>
    public static bool IsLocal(Uri uri)
    {
        if (uri.IsLoopback) return true;
        var host = uri.Host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any));
    }
}
