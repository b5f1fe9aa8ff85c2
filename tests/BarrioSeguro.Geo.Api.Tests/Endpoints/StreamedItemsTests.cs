using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// The items fast path (issue 15.5: a forward-only reader, PostGIS's GeoJSON, written as it is read) answers what the
/// features' path answers. The oracle: the same page asked with sortby on the key, which goes through EF and
/// NetTopologySuite's GeoJSON writer in the same order.
/// </summary>
[Collection(ApiCollection.Name)]
public class StreamedItemsTests(ApiFixture api)
{
    [SkippableTheory]
    [InlineData("streets", "id", "limit=100")]
    [InlineData("streets", "id", "limit=37&offset=500")]
    [InlineData("streets", "id", "limit=50&bbox=-79.07,-8.04,-79.06,-8.02")]
    [InlineData("streets", "id", "limit=10&offset=2000")] // past the end: none returned, all matched
    [InlineData("stations", "id", "limit=10")]
    [InlineData("stations", "id", "bbox=-79.068,-8.025,-10,-79.065,-8.022,100")]
    public async Task A_streamed_page_is_the_features_page(string collection, string key, string query)
    {
        var items = $"/api/collections/{collection}/items?{query}";
        var streamed = await api.PageAsync(items);
        var features = await api.PageAsync($"{items}&sortby={key}");

        Assert.Equal(features["numberMatched"]!.GetValue<int>(), streamed["numberMatched"]!.GetValue<int>());
        Assert.Equal(features["numberReturned"]!.GetValue<int>(), streamed["numberReturned"]!.GetValue<int>());
        var ours = streamed["features"]!.AsArray();
        var theirs = features["features"]!.AsArray();
        Assert.Equal(theirs.Count, ours.Count);
        Assert.Equal(streamed["numberReturned"]!.GetValue<int>(), ours.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(theirs[i]!["id"]!.ToJsonString(), ours[i]!["id"]!.ToJsonString());
            Assert.True(JsonNode.DeepEquals(theirs[i]!["properties"], ours[i]!["properties"]),
                $"feature {i}: {ours[i]!["properties"]!.ToJsonString()} is not {theirs[i]!["properties"]!.ToJsonString()}");
            Assert.True(JsonNode.DeepEquals(theirs[i]!["links"], ours[i]!["links"]), $"feature {i}: links {ours[i]!["links"]!.ToJsonString()}");
            Assert.Equal(theirs[i]!["geometry"]!["type"]!.GetValue<string>(), ours[i]!["geometry"]!["type"]!.GetValue<string>());
            var a = Numbers(ours[i]!["geometry"]!["coordinates"]!).ToList();
            var b = Numbers(theirs[i]!["geometry"]!["coordinates"]!).ToList();
            Assert.Equal(b.Count, a.Count);
            for (var j = 0; j < a.Count; j++) Assert.Equal(b[j], a[j], 1e-12); // degrees: well under a micrometre
        }
        // Paging links are those of the features' path (next when more match, prev past the first page).
        Assert.Equal(Rels(features), Rels(streamed));
    }

    [SkippableFact]
    public async Task A_streamed_page_says_its_crs_and_counts_every_match()
    {
        using var response = await api.Client().GetAsync("/api/collections/streets/items?limit=2");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("<http://www.opengis.net/def/crs/OGC/1.3/CRS84>", string.Join(",", response.Headers.GetValues("Content-Crs")));
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(1060, page["numberMatched"]!.GetValue<int>()); // the sample's streets
        Assert.Equal(2, page["features"]!.AsArray().Count);
    }

    private static List<string> Rels(JsonNode page) => page["links"]!.AsArray().Select(l => l!["rel"]!.GetValue<string>()).ToList();

    private static IEnumerable<double> Numbers(JsonNode node) => node is JsonArray array
        ? array.SelectMany(n => Numbers(n!))
        : [node.GetValue<double>()];
}
