using Microsoft.AspNetCore.Http.Features;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// HEAD wherever GET is (RFC 9110 9.3.2, OGC API Features, GDAL's /vsicurl/): a HEAD request runs as the GET it stands
/// for, with the same status and headers, the Content-Length the body would have had, and no body. Before routing, so
/// every GET route, static file and error answers it; the access gate, ETags and ranges see a GET.
/// </summary>
public static class HeadRequests
{
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!HttpMethods.IsHead(http.Request.Method)) { await next(http); return; }
        http.Request.Method = HttpMethods.Get;
        var original = http.Features.Get<IHttpResponseBodyFeature>()!;
        var counter = new CountingStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(counter, original));
        try
        {
            await next(http);
            // The length of the body GET would have sent, when the handler did not say it (JSON is written as it goes).
            if (!http.Response.HasStarted && http.Response.ContentLength is null && !http.Response.Headers.TransferEncoding.Any()
                && counter.Length > 0)
                http.Response.ContentLength = counter.Length;
        }
        finally
        {
            http.Features.Set(original);
            http.Request.Method = HttpMethods.Head;
        }
        // Kestrel sends no body for a HEAD request: the headers go now.
        await original.StartAsync(http.RequestAborted);
    });

    /// <summary>A body that is counted and thrown away.</summary>
    private sealed class CountingStream : Stream
    {
        public long Length64;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Length64;
        public override long Position { get => Length64; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Length64 += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Length64 += buffer.Length;
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) { Length64 += count; return Task.CompletedTask; }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) { Length64 += buffer.Length; return ValueTask.CompletedTask; }
    }
}
