using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// The real clients of OGC API - Features on the running service (a real port): GDAL's OAPIF driver (what QGIS uses
/// too) and OWSLib (Debian's python3-owslib).
/// </summary>
[Collection(ApiCollection.Name)]
public partial class OgcClientsTests(ApiFixture api)
{
    private static async Task<(string Out, string Err)> Run(string tool, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} is needed.");
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed: {await error} {await output}");
        return (await output, await error);
    }

    [GeneratedRegex(@"^> GET (\S+)", RegexOptions.Multiline)]
    private static partial Regex CurlGet();

    /// <summary>
    /// GDAL 3.6 reads every El Milagro street, as many as numberMatched says. It reads no API document (measured: only
    /// /collections and the items pages), so its page size is its own 10 unless PAGE_SIZE is given: 106 item pages and
    /// one to learn the fields (107 requests in all with /collections). With PAGE_SIZE=1000, which the service's
    /// maximum allows, it needs 3 requests for items.
    /// </summary>
    [SkippableFact]
    public async Task GDAL_reads_every_street_and_pages_as_large_as_the_service_allows()
    {
        var matched = (await ApiFixture.JsonOf(await api.Client().GetAsync("/api/collections/streets/items?limit=1"))).GetProperty("numberMatched").GetInt32();
        var source = $"OAPIF:{api.BaseAddress}api";
        var (summary, _) = await Run("ogrinfo", ["-ro", "-so", source, "streets"]);
        Assert.Contains($"Feature Count: {matched}", summary);
        var verbose = new Dictionary<string, string> { ["CPL_CURL_VERBOSE"] = "YES" };
        foreach (var (pageSize, pages) in new[] { (10, (matched + 9) / 10), (1000, (matched + 999) / 1000), (10000, 1) })
        {
            var (all, trace) = await Run("ogrinfo", ["-ro", "-al", "-q", "-oo", $"PAGE_SIZE={pageSize}", source, "streets"], verbose);
            Assert.Equal(matched, Regex.Matches(all, @"^OGRFeature\(streets\):", RegexOptions.Multiline).Count);
            var gets = CurlGet().Matches(trace).Select(m => m.Groups[1].Value).Where(g => g.Contains("/items", StringComparison.Ordinal)).ToList();
            // One request to learn the fields, then the pages.
            Assert.True(gets.Count == pages + 1, $"PAGE_SIZE={pageSize}: {gets.Count} item requests for {matched} streets: {string.Join(", ", gets.Take(5))}");
            Assert.All(gets, g => Assert.Contains($"limit={pageSize}", g));
        }
    }

    /// <summary>GDAL's reprojection of the service's CRS84 streets equals the service's own answer in UTM 17S.</summary>
    [SkippableFact]
    public async Task GDAL_reprojection_matches_the_service_crs_answer()
    {
        var page = await ApiFixture.JsonOf(await api.Client().GetAsync(
            "/api/collections/stations/items?bbox=-79.068,-8.025,-79.065,-8.022&crs=" + Uri.EscapeDataString("http://www.opengis.net/def/crs/EPSG/0/32717")));
        var xy = page.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates");
        var output = Path.Combine(Path.GetTempPath(), $"ogc1-{Guid.NewGuid():N}.csv");
        try
        {
            await Run("ogr2ogr", ["-f", "CSV", output, $"OAPIF:{api.BaseAddress}api", "stations", "-spat", "-79.068", "-8.025", "-79.065", "-8.022",
                "-t_srs", "EPSG:32717", "-lco", "GEOMETRY=AS_XY"]);
            var lines = File.ReadAllLines(output);
            var header = lines[0].Split(',');
            var row = lines[1].Split(',');
            var x = double.Parse(row[Array.IndexOf(header, "X")], CultureInfo.InvariantCulture);
            var y = double.Parse(row[Array.IndexOf(header, "Y")], CultureInfo.InvariantCulture);
            Assert.InRange(xy[0].GetDouble() - x, -0.01, 0.01);
            Assert.InRange(xy[1].GetDouble() - y, -0.01, 0.01);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>OWSLib reads incidents with bbox and datetime, and gets what the service counts.</summary>
    [SkippableFact]
    public async Task OWSLib_reads_items_with_bbox_and_datetime()
    {
        var token = await api.SignInAsync(ApiFixture.AdminName);
        var all = await ApiFixture.JsonOf(await api.Client().GetAsync("/api/collections/incidents/items"));
        var times = all.GetProperty("features").EnumerateArray()
            .Select(f => DateTimeOffset.Parse(f.GetProperty("properties").GetProperty("occurredAt").GetString()!, CultureInfo.InvariantCulture))
            .Order().ToList();
        var middle = times[times.Count / 2].UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var expected = await ApiFixture.JsonOf(await api.Client().GetAsync($"/api/collections/incidents/items?bbox=-79.2,-8.2,-78.9,-7.9&datetime={middle}/.."));
        var script = $$"""
            from owslib.ogcapi.features import Features
            api = Features('{{api.BaseAddress}}api', headers={'Authorization': 'Bearer {{token}}'})
            items = api.collection_items('incidents', bbox=[-79.2, -8.2, -78.9, -7.9], datetime='{{middle}}/..', limit=100)
            print(items['numberMatched'], len(items['features']), items['features'][0]['id'] if items['features'] else '')
            none = api.collection_items('incidents', datetime='2030-01-01T00:00:00Z/..')
            print(none['numberMatched'])
            """;
        var (output, _) = await Run("/usr/bin/python3", ["-c", script]);
        var lines = output.Trim().Split('\n');
        var first = lines[0].Split(' ');
        Assert.Equal(expected.GetProperty("numberMatched").GetInt32().ToString(CultureInfo.InvariantCulture), first[0]);
        Assert.Equal(first[0], first[1]);
        Assert.InRange(int.Parse(first[0], CultureInfo.InvariantCulture), 1, times.Count - 1);
        Assert.Equal("0", lines[1].Trim());
    }

    /// <summary>
    /// QGIS 3.22 (headless) opens the streets through its OAPIF provider, reads as many as numberMatched, and pages by
    /// the default the OpenAPI document declares in components/parameters/limit (1000: 2 pages and a 10-feature probe
    /// for the fields; without it QGIS pages by 100, 11 pages).
    /// </summary>
    [SkippableFact]
    public async Task QGIS_reads_every_street_through_OAPIF()
    {
        var matched = (await ApiFixture.JsonOf(await api.Client().GetAsync("/api/collections/streets/items?limit=1"))).GetProperty("numberMatched").GetInt32();
        var script = $$"""
            import json, os, sys, threading, http.server, urllib.request, urllib.error
            from qgis.core import QgsApplication, QgsVectorLayer
            # A logging proxy in front of the service: it forwards the Host header, so the service's links lead back here.
            target = '{{api.BaseAddress}}'.rstrip('/')
            urls = []
            class Proxy(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    urls.append(self.path)
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in ('connection', 'accept-encoding')}
                    try:
                        r = urllib.request.urlopen(urllib.request.Request(target + self.path, headers=headers))
                        code, body, rh = r.status, r.read(), r.headers
                    except urllib.error.HTTPError as e:
                        code, body, rh = e.code, e.read(), e.headers
                    self.send_response(code)
                    for k, v in rh.items():
                        if k.lower() not in ('transfer-encoding', 'connection', 'content-length'):
                            self.send_header(k, v)
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Proxy)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            app = QgsApplication([], False)
            app.initQgis()
            layer = QgsVectorLayer(f"url='http://127.0.0.1:{server.server_address[1]}/api' typename='streets'", "streets", "OAPIF")
            count = sum(1 for _ in layer.getFeatures()) if layer.isValid() else -1
            sys.stdout.write(json.dumps({"valid": layer.isValid(), "count": count, "crs": layer.crs().authid(), "urls": urls}) + "\n")
            sys.stdout.flush()
            os._exit(0)
            """;
        var (output, _) = await Run("/usr/bin/python3", ["-c", script], new Dictionary<string, string> { ["QT_QPA_PLATFORM"] = "offscreen" });
        using var result = System.Text.Json.JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = result.RootElement;
        var urls = root.GetProperty("urls").EnumerateArray().Select(u => u.GetString()!).ToList();
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "ogc1-qgis-requests.txt"), string.Join('\n', urls));
        Assert.True(root.GetProperty("valid").GetBoolean(), string.Join(", ", urls));
        Assert.Equal(matched, root.GetProperty("count").GetInt32());
        var items = urls.Where(u => u.Contains("/items", StringComparison.Ordinal)).ToList();
        Assert.Contains("/openapi/v1.json", urls);
        var pages = items.Where(u => u.Contains("limit=1000", StringComparison.Ordinal)).ToList();
        Assert.True(pages.Count == (matched + 999) / 1000 && items.Count == pages.Count + 1, $"{items.Count} item requests: {string.Join(", ", items.Take(6))}");
    }
}
