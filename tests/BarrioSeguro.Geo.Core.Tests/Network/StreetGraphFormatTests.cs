using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Notes;
using static BarrioSeguro.Geo.Core.Tests.Network.StreetGraphTests;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Network;

public class StreetGraphFormatTests
{
    private static StreetGraph Sample() => StreetGraph.Build(
    [
        S("LINESTRING(0 0, 100 0)"), S("LINESTRING(100 0, 100 100)"), S("LINESTRING(0 0, 100 100)"),
        S("LINESTRING(100 0, 100 0.004)"), // a tiny piece: a note of the build report
        S("LINESTRING(500 500, 600 500)"),  // a component without a unit
    ], TravelMode.Foot);

    [Fact]
    public void A_graph_read_back_is_the_same_graph_and_gives_the_same_coverage()
    {
        var graph = Sample();
        using var stream = new MemoryStream();
        graph.Write(stream, [Note.Of("streets.left_out", ("count", 2), ("list", new[] { "#1 Point", "#2 MultiPoint" }))]);
        stream.Position = 0;
        var (back, notes) = StreetGraph.Read(stream);
        Assert.Equal("streets.left_out", Assert.Single(notes).Code);
        Assert.Equal(new[] { "#1 Point", "#2 MultiPoint" }, (string[])notes[0].Args["list"]);
        Assert.Equal(graph.NodeCount, back.NodeCount);
        Assert.Equal(graph.Edges.Count, back.Edges.Count);
        Assert.Equal(graph.UtmEpsg, back.UtmEpsg);
        Assert.Equal(graph.ScaleFactor, back.ScaleFactor);
        Assert.Equal(graph.Report with { Notes = [] }, back.Report with { Notes = [] });
        Assert.Equal(graph.Report.Notes, back.Report.Notes);
        Assert.Equal(graph.Components.Km, back.Components.Km);
        for (var i = 0; i < graph.Edges.Count; i++)
        {
            var (a, b) = (graph.Edges[i], back.Edges[i]);
            Assert.Equal(a with { Geometry = b.Geometry }, b);
            Assert.True(a.Geometry.EqualsExact(b.Geometry), $"edge {i}");
            Assert.Equal(a.Component, b.Component);
        }
        var units = new[] { graph.NodeLonLat(0) };
        var first = Coverage.Compute(graph, units, 1);
        var second = Coverage.Compute(back, units, 1);
        Assert.Equal(first.Figures, second.Figures);
        Assert.Equal(first.NodeSeconds, second.NodeSeconds);
        Assert.Equal(first.Notes, second.Notes);
    }

    [Fact]
    public void A_damaged_or_cut_copy_is_refused()
    {
        using var stream = new MemoryStream();
        Sample().Write(stream);
        var bytes = stream.ToArray();
        for (var at = 0; at < bytes.Length; at += Math.Max(1, bytes.Length / 50))
        {
            var damaged = (byte[])bytes.Clone();
            damaged[at] ^= 0x01;
            Assert.Throws<InvalidDataException>(() => StreetGraph.Read(new MemoryStream(damaged)));
        }
        Assert.Throws<InvalidDataException>(() => StreetGraph.Read(new MemoryStream(bytes[..(bytes.Length - 1)])));
        Assert.Throws<InvalidDataException>(() => StreetGraph.Read(new MemoryStream(bytes[..10])));
        Assert.Throws<InvalidDataException>(() => StreetGraph.Read(new MemoryStream([])));
    }
}
