using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>
/// Exports opened by URL (issue 14.7): HEAD with Content-Length and Accept-Ranges, single byte ranges (206, 416), a
/// strong ETag and Last-Modified that hold while the data does; and GDAL's /vsicurl/ (what QGIS uses) reading a
/// GeoPackage and a zipped shapefile straight from the service, a public collection and a signed-in one.
/// </summary>
[Collection(ApiCollection.Name)]
public partial class ExportByUrlTests(ApiFixture api)
{
    private const string Streets = "/api/collections/streets/export?format=geopackage";

    [SkippableFact]
    public async Task HEAD_gives_the_length_ranges_ETag_and_Last_Modified_of_the_file()
    {
        using var client = api.AnonymousClient();
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Streets));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Contains("bytes", head.Headers.AcceptRanges);
        Assert.NotNull(head.Headers.ETag);
        Assert.False(head.Headers.ETag!.IsWeak);
        Assert.NotNull(head.Content.Headers.LastModified);

        var get = await client.GetAsync(Streets);
        var bytes = await get.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
        Assert.Equal(head.Headers.ETag, get.Headers.ETag);
        Assert.Equal("SQLite format 3\0", System.Text.Encoding.ASCII.GetString(bytes, 0, 16));
    }

    [SkippableFact]
    public async Task The_same_data_gives_the_same_bytes_so_ranges_of_two_requests_fit_together()
    {
        using var client = api.AnonymousClient();
        var first = await client.GetAsync(Streets);
        var whole = await first.Content.ReadAsByteArrayAsync();
        var second = await client.GetAsync(Streets);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(first.Content.Headers.LastModified, second.Content.Headers.LastModified);
        Assert.Equal(whole, await second.Content.ReadAsByteArrayAsync());

        // A middle range, the last bytes: 206 with Content-Range, the very bytes of the whole file.
        foreach (var (from, to) in new[] { (0L, 99L), (1000L, 5095L), (whole.Length - 10L, whole.Length - 1L) })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Streets) { Headers = { Range = new RangeHeaderValue(from, to) } };
            var part = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal($"bytes {from}-{to}/{whole.Length}", part.Content.Headers.ContentRange!.ToString());
            Assert.Equal(whole[(int)from..(int)(to + 1)], await part.Content.ReadAsByteArrayAsync());
        }

        // Unsatisfiable: 416 naming the length.
        var beyond = new HttpRequestMessage(HttpMethod.Get, Streets) { Headers = { Range = new RangeHeaderValue(whole.Length + 10, null) } };
        var refused = await client.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
        Assert.Equal($"bytes */{whole.Length}", refused.Content.Headers.ContentRange!.ToString());

        // The ETag is a validator: 304 for If-None-Match, the whole file for an If-Range that no longer holds.
        var cached = new HttpRequestMessage(HttpMethod.Get, Streets) { Headers = { IfNoneMatch = { first.Headers.ETag! } } };
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(cached)).StatusCode);
        var stale = new HttpRequestMessage(HttpMethod.Get, Streets)
        {
            Headers = { Range = new RangeHeaderValue(0, 9), IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"not-this-one\"")) },
        };
        var full = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(whole.Length, (await full.Content.ReadAsByteArrayAsync()).Length);
    }

    [SkippableFact]
    public async Task Another_file_of_the_same_data_has_another_ETag()
    {
        using var client = api.AnonymousClient();
        var utm = (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Streets))).Headers.ETag;
        var lonLat = (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Streets + "&crs=EPSG:4326"))).Headers.ETag;
        var shapefile = (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/collections/streets/export?format=shapefile"))).Headers.ETag;
        Assert.NotNull(utm);
        Assert.NotEqual(utm, lonLat);
        Assert.NotEqual(utm, shapefile);
    }

    [SkippableFact]
    public async Task GDAL_opens_a_public_GeoPackage_by_URL_with_every_feature()
    {
        var expected = await CountAsync("streets");
        var output = await Ogrinfo(null, "-ro", "-so", "-al", "/vsicurl/" + Url(Streets));
        Assert.Equal(expected, FeatureCount(output));
    }

    [SkippableFact]
    public async Task GDAL_opens_a_public_zipped_shapefile_by_URL_with_every_feature()
    {
        var expected = await CountAsync("streets");
        // /vsizip/{...}: the archive is named by the braces, as the URL does not end in .zip.
        var output = await Ogrinfo(null, "-ro", "-so", "-al", "/vsizip/{/vsicurl/" + Url("/api/collections/streets/export?format=shapefile") + "}");
        Assert.Equal(expected, FeatureCount(output));
    }

    [SkippableFact]
    public async Task GDAL_opens_a_signed_in_export_by_URL_with_a_bearer_token_and_is_refused_without()
    {
        var expected = await CountAsync("neighborhoods");
        var url = "/vsicurl/" + Url("/api/collections/neighborhoods/export?format=geopackage");
        var token = await api.SignInAsync(ApiFixture.AdminName);
        var output = await Ogrinfo($"Authorization: Bearer {token}", "-ro", "-so", "-al", url);
        Assert.Equal(expected, FeatureCount(output));

        var (code, _, error) = await Run(null, "-ro", "-so", "-al", url);
        Assert.NotEqual(0, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    private string Url(string path) => new Uri(api.BaseAddress, path).ToString();

    private async Task<int> CountAsync(string collection)
    {
        var page = await ApiFixture.JsonOf(await api.Client().GetAsync($"/api/collections/{collection}/items?limit=1"));
        var count = page.GetProperty("numberMatched").GetInt32();
        Assert.True(count > 0, $"{collection} is empty.");
        return count;
    }

    private static int FeatureCount(string ogrinfo) =>
        FeatureCountLine().Matches(ogrinfo).Select(m => int.Parse(m.Groups[1].Value)).Sum();

    [GeneratedRegex(@"Feature Count: (\d+)")]
    private static partial Regex FeatureCountLine();

    private static async Task<string> Ogrinfo(string? headers, params string[] args)
    {
        var (code, output, error) = await Run(headers, args);
        Assert.True(code == 0, $"ogrinfo {string.Join(' ', args)} failed: {error}");
        return output;
    }

    private static async Task<(int Code, string Output, string Error)> Run(string? headers, params string[] args)
    {
        var psi = new ProcessStartInfo("ogrinfo", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Nothing of GDAL's own cache or a proxy between ogrinfo and the loopback service.
        psi.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        psi.Environment["no_proxy"] = "127.0.0.1,localhost";
        psi.Environment["GDAL_HTTP_TIMEOUT"] = "600";
        psi.Environment["CPL_VSIL_CURL_CACHE_SIZE"] = "16777216";
        if (headers is not null) psi.Environment["GDAL_HTTP_HEADERS"] = headers; // GDAL 3.6: headers sent with every request
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ogrinfo (package gdal-bin) is needed.");
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await output, await error);
    }
}
