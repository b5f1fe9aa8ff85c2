using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Collections;

/// <summary>
/// issue 14.5, plans: the real clients read a kept plan through OGC API - Features: GDAL's OAPIF driver (ogrinfo: count,
/// geometry type, fields), QGIS headless (its own OAPIF provider: layer valid, feature count, a filter on planId), and a
/// collection's GeoPackage export read back by ogrinfo. Both send the token as a user's desktop GIS would (a header).
/// </summary>
[Collection(ApiCollection.Name)]
public class PlanCollectionsClientTests(ApiFixture api)
{
    private string Token => api.Client().DefaultRequestHeaders.Authorization!.Parameter!;

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} is needed.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    private async Task<string> OgrInfoAsync(params string[] args)
    {
        var (exit, output, error) = await RunAsync("ogrinfo", args, new Dictionary<string, string> { ["GDAL_HTTP_HEADERS"] = $"Authorization: Bearer {Token}" });
        Assert.True(exit == 0, $"ogrinfo {string.Join(' ', args)}: {error}");
        return output;
    }

    private async Task<int> MatchedAsync(string url) =>
        (await ApiFixture.JsonOf(await api.Client().GetAsync(url))).GetProperty("numberMatched").GetInt32();

    public static TheoryData<string, string, string> Layers() => new()
    {
        { "plans", "Multi Polygon", "stale" },
        { "sectors", "Multi Polygon", "label" },
        { "plan-blocks", "Polygon", "blockId" },
        { "routes", "Line String", "lengthKm" },
        { "coverage", "Multi Line String", "status" },
    };

    [SkippableTheory]
    [MemberData(nameof(Layers))]
    public async Task GDAL_reads_each_plan_collection_through_OGC_API_Features(string layer, string geometry, string field)
    {
        await PlanCollectionsTests.SharedPlanAsync(api);
        var expected = await MatchedAsync($"/api/collections/{layer}/items?limit=1");
        var info = await OgrInfoAsync("-ro", "-so", $"OAPIF:{api.BaseAddress}api", layer);
        Assert.Contains($"Feature Count: {expected}", info);
        Assert.Contains($"Geometry: {geometry}", info);
        Assert.Contains($"{field}: ", info);
        if (layer != "plans") Assert.Contains("planId: Integer", info);
        // Every feature read, paging included, and none twice.
        var all = await OgrInfoAsync("-ro", "-al", "-q", "-geom=NO", $"OAPIF:{api.BaseAddress}api/collections/{layer}");
        Assert.Equal(expected, System.Text.RegularExpressions.Regex.Matches(all, @"^OGRFeature\(", System.Text.RegularExpressions.RegexOptions.Multiline).Count);
    }

    [SkippableFact]
    public async Task GDAL_without_a_token_is_refused_and_reads_no_plan()
    {
        var (exit, output, _) = await RunAsync("ogrinfo", ["-ro", "-so", $"OAPIF:{api.BaseAddress}api/collections/sectors"], new Dictionary<string, string>());
        Assert.True(exit != 0 || !output.Contains("Feature Count: ", StringComparison.Ordinal), output);
    }

    [SkippableFact]
    public async Task A_plans_sectors_export_as_a_GeoPackage_GDAL_reads_back()
    {
        var plan = await PlanCollectionsTests.SharedPlanAsync(api);
        var response = await api.Client().GetAsync($"/api/collections/sectors/export?format=geopackage&plan={plan}&crs=EPSG:4326");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var file = Path.Combine(Path.GetTempPath(), $"barrio-plan-collection-{Guid.NewGuid():N}.gpkg");
        try
        {
            await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
            var info = await GdalTool.RunAsync("ogrinfo", "-al", file);
            Assert.Contains("Feature Count: 3", info);
            Assert.Contains($"planId (Integer) = {plan}", info);
            Assert.Contains("label (String) = S3", info);
            Assert.DoesNotContain($"planId (Integer) = {plan - 1}", info);
        }
        finally { File.Delete(file); }
    }

    /// <summary>QGIS (Debian's qgis and python3-qgis, headless) opens the collections with its own OAPIF provider.</summary>
    [SkippableFact]
    public async Task QGIS_opens_the_plan_collections_and_filters_one_plan()
    {
        var plan = await PlanCollectionsTests.SharedPlanAsync(api);
        var expected = new Dictionary<string, int>();
        foreach (var layer in PlanCollectionsTests.PlanCollectionNames) expected[layer] = await MatchedAsync($"/api/collections/{layer}/items?limit=1");
        var script = Path.Combine(Path.GetTempPath(), $"barrio-qgis-plans-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, """
            import json, os, sys
            from qgis.core import QgsApplication, QgsVectorLayer, QgsNetworkAccessManager, QgsFeatureRequest
            app = QgsApplication([], False)
            app.initQgis()
            base, token, plan = sys.argv[1], sys.argv[2], sys.argv[3]
            # The token a signed-in user's QGIS sends: a header on every request of the provider.
            QgsNetworkAccessManager.setRequestPreprocessor(lambda request: request.setRawHeader(b"Authorization", ("Bearer " + token).encode()))
            out = {}
            for name in sys.argv[4:]:
                layer = QgsVectorLayer(f"url='{base}api' typename='{name}' pagingEnabled='true'", name, "OAPIF")
                entry = {"valid": layer.isValid()}
                if layer.isValid():
                    entry["count"] = sum(1 for _ in layer.getFeatures())
                    entry["featureCount"] = layer.featureCount()
                    entry["fields"] = [f.name() for f in layer.fields()]
                    entry["ofPlan"] = sum(1 for _ in layer.getFeatures(QgsFeatureRequest().setFilterExpression(f'"planId" = {plan}' if name != "plans" else f'"id" = {plan}')))
                out[name] = entry
            sys.stdout.write(json.dumps(out) + "\n")
            sys.stdout.flush()
            # QGIS 3.22's Python bindings crash while tearing down (exitQgis or interpreter exit): leave at once.
            os._exit(0)
            """);
        try
        {
            var (exit, stdout, stderr) = await RunAsync("/usr/bin/python3",
                [script, api.BaseAddress.ToString(), Token, plan.ToString(System.Globalization.CultureInfo.InvariantCulture), .. PlanCollectionsTests.PlanCollectionNames],
                new Dictionary<string, string> { ["QT_QPA_PLATFORM"] = "offscreen" });
            Assert.True(exit == 0, $"QGIS (python3-qgis) exited {exit}: {stderr} {stdout}");
            using var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            foreach (var layer in PlanCollectionsTests.PlanCollectionNames)
            {
                var entry = result.RootElement.GetProperty(layer);
                Assert.True(entry.GetProperty("valid").GetBoolean(), $"{layer} invalid in QGIS: {stderr}");
                Assert.Equal(expected[layer], entry.GetProperty("count").GetInt32());
                Assert.Equal(expected[layer], entry.GetProperty("featureCount").GetInt32());
                Assert.Equal(await MatchedAsync($"/api/collections/{layer}/items?plan={plan}&limit=1"), entry.GetProperty("ofPlan").GetInt32());
            }
            Assert.Equal(3, result.RootElement.GetProperty("sectors").GetProperty("ofPlan").GetInt32());
            Assert.Contains("label", result.RootElement.GetProperty("sectors").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        }
        finally { File.Delete(script); }
    }
}
