using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Bench.Peers;
using BarrioSeguro.Geo.IO;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace BarrioSeguro.Geo.Data.Tests.Network;

/// <summary>
/// Our reach times against pgRouting's <c>pgr_drivingDistance</c> on the same El Milagro graph (same edges, same
/// costs): identical within 1e-6 s at every node, on foot and by car with one-way streets.
/// </summary>
[Collection(PostgisCollection.Name)]
public class CoverageOracleTests(PostgisFixture postgis, ITestOutputHelper output)
{
    private static string Geodata(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, "repository root (BarrioSeguro.Geo.sln) not found");
        return Path.Combine(dir!.FullName, "geodata", relative);
    }

    private async Task<NpgsqlConnection> Connect()
    {
        var connection = new NpgsqlConnection(await postgis.CreateDatabaseAsync("coverage"));
        await connection.OpenAsync();
        Skip.If(!postgis.HasPgRouting && !PostgisFixture.IsCi, "pgRouting is not installed in the test database");
        return connection;
    }

    /// <summary>Five nodes of the largest component, spread over it, as the units.</summary>
    private static List<int> UnitNodes(StreetGraph g)
    {
        var nodes = g.Edges.Where(e => e.Component == 0).Select(e => e.From).Distinct().Order().ToList();
        return Enumerable.Range(0, 5).Select(i => nodes[i * nodes.Count / 5]).ToList();
    }

    [SkippableTheory]
    [InlineData(TravelMode.Foot, 1e6)]
    [InlineData(TravelMode.Car, 1e6)]
    [InlineData(TravelMode.Foot, 5)]
    [InlineData(TravelMode.Car, 2)]
    public async Task Node_times_are_those_of_pgr_drivingDistance_on_El_Milagro(TravelMode mode, double minutes)
    {
        var streets = StreetLines.Network(VectorFile.Read(Geodata("osm/el_milagro_streets_wgs84.geojson")));
        var graph = StreetGraph.Build(streets, mode);
        if (mode == TravelMode.Car) Assert.Contains(graph.Edges, e => double.IsPositiveInfinity(e.BackwardSeconds));
        var starts = UnitNodes(graph);
        var ours = Coverage.Compute(graph, starts.Select(graph.NodeLonLat).ToList(), minutes);
        Assert.Equal(starts.Count, ours.UnitsSnapped.Count);
        foreach (var n in starts) Assert.Equal(0, ours.NodeSeconds[n]);

        await using var connection = await Connect();
        await PgRouting.LoadAsync(connection, graph);
        var theirs = await PgRouting.DrivingDistanceAsync(connection, graph.NodeCount, starts, minutes * 60);

        var reached = 0;
        var worst = 0.0;
        for (var n = 0; n < graph.NodeCount; n++)
        {
            var a = ours.NodeSeconds[n];
            var b = theirs[n];
            Assert.True(double.IsPositiveInfinity(a) == double.IsPositiveInfinity(b), $"node {n}: ours {a} s, pgRouting {b} s");
            if (double.IsPositiveInfinity(a)) continue;
            reached++;
            worst = Math.Max(worst, Math.Abs(a - b));
        }
        output.WriteLine($"{mode} {minutes} min: {graph.NodeCount} nodes, {graph.Edges.Count} edges, {reached} reached, worst difference {worst:E2} s");
        Assert.True(worst <= 1e-6, $"worst difference {worst} s");
        Assert.True(reached > 10);
    }
}
