using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.IO.Osm;
using BarrioSeguro.Geo.IO.Tests.Support;
using Xunit;

namespace BarrioSeguro.Geo.IO.Tests.Osm;

/// <summary>Issue 13.1: the OSM PBF reader (osmium-tool as a process) on the shared Huanchaco extract.</summary>
public class OsmPbfTests
{
    private static string Pbf
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) dir = dir.Parent;
            return Path.Combine(dir!.FullName, "geodata", "osm", "huanchaco_el_milagro_extract.osm.pbf");
        }
    }

    [Fact]
    public void Reads_every_highway_way_as_a_line_with_its_tags_and_the_police_as_points()
    {
        var progress = new List<double>();
        var extract = OsmPbf.Read(Pbf, progress: new SyncProgress(progress.Add));
        // GDAL's lines layer has 6,056 highway ways (geodata/SOURCES.md); a closed karting track is an area for both.
        var ids = extract.Streets.Select(s => Convert.ToInt64(s.Attributes["osm_id"])).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(extract.AreasLeftOut > 0);
        Assert.All(extract.Streets, s => Assert.Equal("LineString", s.Geometry.GeometryType));
        foreach (var tag in new[] { "name", "oneway", "maxspeed", "layer", "bridge" })
            Assert.Contains(extract.Streets, s => s.Attributes.Exists(tag));
        Assert.Contains(extract.Stations, s => s.Attributes.GetOptionalValue("name") as string == "COMISARIA DE HUANCHACO");
        Assert.All(extract.Stations, s => Assert.Equal("Point", s.Geometry.GeometryType));
        Assert.Equal(1.0, progress[^1]);
        Assert.Equal(progress.Order(), progress);
        // The box of where the data lies is inside the box of every vertex, and holds the cut box's centre.
        Assert.True(extract.DataBounds.Contains(-79.1, -8.0));
        Assert.True(extract.DataBounds.MaxX < -79.03, extract.DataBounds.ToString());
    }

    [Fact]
    public void A_missing_reader_is_named_and_a_text_file_is_not_a_PBF()
    {
        var missing = Assert.Throws<OsmReaderUnavailableException>(() => OsmPbf.Read(Pbf, new OsmReadOptions(Osmium: "/nonexistent/osmium")));
        Assert.Equal("osm.reader_missing", missing.Reason.Code);
        Assert.Contains("osmium-tool", missing.Reason.English);

        using var dir = new TempDir();
        var text = dir.Write("calles.osm.pbf", "<osm version=\"0.6\"></osm>");
        var refused = Assert.Throws<RefusalException>(() => OsmPbf.Read(text));
        Assert.Equal("osm.not_pbf", refused.Reason.Code);
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
