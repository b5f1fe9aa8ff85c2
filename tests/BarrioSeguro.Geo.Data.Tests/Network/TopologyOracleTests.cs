using BarrioSeguro.Geo.Bench.Peers;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Geometries;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace BarrioSeguro.Geo.Data.Tests.Network;

/// <summary>
/// Our foot graph's connected components against PostGIS and pgRouting on the same lines: <c>ST_Node</c> of all of
/// them, <c>pgr_createTopology</c> at 1 cm, <c>pgr_connectedComponents</c>. Real OSM data with footways, steps,
/// paths and pedestrian streets (all Huanchaco). Bridges are left out of both sides: PostGIS nodes a bridge with
/// the street under it, we do not, on purpose.
/// </summary>
[Collection(PostgisCollection.Name)]
public class TopologyOracleTests(PostgisFixture postgis, ITestOutputHelper output)
{
    private static string Geodata(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, "repository root (BarrioSeguro.Geo.sln) not found");
        return Path.Combine(dir!.FullName, "geodata", relative);
    }

    [SkippableFact]
    public async Task Foot_components_are_those_of_ST_Node_and_pgr_createTopology_at_1_cm()
    {
        var all = StreetLines.Network(VectorFile.Read(Geodata("osm/huanchaco_130104_streets_clipped_wgs84.geojson")));
        var streets = all.Where(s => s.Layer == 0 && SpeedTable.Default.SpeedKmh(TravelMode.Foot, s.Class) is not null).ToList();
        foreach (var walkway in new[] { "footway", "steps", "path", "pedestrian" })
            Assert.Contains(streets, s => s.Class == walkway);
        var graph = StreetGraph.Build(streets, TravelMode.Foot);
        Assert.Equal(0, graph.Report.ExcludedForMode);

        var lines = new List<Geometry>();
        foreach (var s in streets)
        {
            var utm = Crs.Transform(s.Geometry, Crs.Wgs84, graph.UtmEpsg);
            for (var i = 0; i < utm.NumGeometries; i++) lines.Add(utm.GetGeometryN(i));
        }

        var connection = new NpgsqlConnection(await postgis.CreateDatabaseAsync("topology"));
        await using (connection)
        {
            await connection.OpenAsync();
            Skip.If(!postgis.HasPgRouting && !PostgisFixture.IsCi, "pgRouting is not installed in the test database");
            var theirs = await PgRouting.TopologyComponentsAsync(connection, lines, graph.UtmEpsg, StreetGraph.NodeToleranceMeters);

            var ours = graph.Edges.GroupBy(e => e.Component).Select(g => (Edges: g.Count(), Meters: g.Sum(e => e.Geometry.Length)))
                .OrderByDescending(c => c.Meters).ToList();
            output.WriteLine($"ours: {ours.Count} components, {graph.Edges.Count} edges; PostGIS/pgRouting: {theirs.Count} components, {theirs.Sum(c => c.Edges)} edges");
            for (var i = 0; i < Math.Min(8, Math.Max(ours.Count, theirs.Count)); i++)
                output.WriteLine($"  {i}: ours {(i < ours.Count ? $"{ours[i].Edges} edges {ours[i].Meters:F3} m" : "-")}, theirs {(i < theirs.Count ? $"{theirs[i].Edges} edges {theirs[i].Meters:F3} m" : "-")}");

            Assert.Equal(theirs.Count, ours.Count);
            for (var i = 0; i < ours.Count; i++)
            {
                // Lengths agree to the 1 mm rounding of our vertices and the ≤ 1 cm moves of snapped ends.
                var tolerance = 0.01 * (ours[i].Edges + theirs[i].Edges) + 1e-6 * theirs[i].Meters;
                Assert.True(Math.Abs(ours[i].Meters - theirs[i].Meters) <= tolerance,
                    $"component {i}: ours {ours[i].Meters:F3} m, theirs {theirs[i].Meters:F3} m");
            }
            // Every footway, step and path piece is in a component PostGIS also has: the walkways reach the streets.
            var largest = graph.Edges.Where(e => e.Component == 0).ToList();
            Assert.Contains(largest, e => e.Class == "steps");
            Assert.Contains(largest, e => e.Class == "footway");
        }
    }
}
