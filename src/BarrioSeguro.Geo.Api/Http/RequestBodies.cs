using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>Reading a bounded request body and matching If-None-Match: the same for the entry forms and the OGC edits.</summary>
internal static class RequestBodies
{
    /// <summary>The whole body, or a 413 saying <paramref name="tooLarge"/> once it passes <paramref name="maxBytes"/>.</summary>
    public static async Task<(byte[] Bytes, IResult? TooLarge)> ReadAsync(HttpRequest request, long maxBytes, Note tooLarge, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return ([], RequestProblem.TooLarge(tooLarge));
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes) return ([], RequestProblem.TooLarge(tooLarge));
        }
        return (buffer.ToArray(), null);
    }

    /// <summary>If-None-Match names the current version (weak comparison, as RFC 9110 says for it) or is *.</summary>
    public static bool NoneMatch(HttpRequest request, int version)
    {
        foreach (var value in request.Headers.IfNoneMatch)
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "*") return true;
                var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
                if (tag == $"\"{version}\"") return true;
            }
        return false;
    }
}
