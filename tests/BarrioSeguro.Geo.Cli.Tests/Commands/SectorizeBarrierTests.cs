using System.Text.Json;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>
/// <c>barrio sectorize --barrier-classes / --barriers</c> on El Milagro. The main road through the sample area is Avenida
/// Miguel Grau (highway=primary, 3.5 km inside the boundary; the Panamericana Norte passes outside it).
/// </summary>
public class SectorizeBarrierTests(ElMilagroBlocksFixture milagro) : IClassFixture<ElMilagroBlocksFixture>
{
    private static readonly string Streets = SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson");

    private static JsonElement Report(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static CliRun Sectorize(TempDir dir, string blocks, params string[] extra) =>
        CliRun.Of(["sectorize", "--blocks", blocks, "--out", dir.File("s.geojson"), "--assignment", dir.File("a.geojson"),
            "--report", dir.File("r.json"), .. extra]);

    private static Geometry MiguelGrau() => new GeometryFactory().BuildGeometry(VectorFile.Read(Streets).Features
        .Where(f => f.Attributes.Exists("highway") && (f.Attributes["highway"] as string) == "primary"
                    && (f.Attributes["name"] as string) == "Avenida Miguel Grau")
        .Select(f => f.Geometry).ToList());

    /// <summary>Length (°) of the road inside each sector, off its edges by about 2 m: a sector whose blocks lie on both
    /// sides holds the road between them in its interior.</summary>
    private static List<double> RoadInside(string sectorsPath, Geometry road) =>
        VectorFile.Read(sectorsPath).Features.Select(f => f.Geometry.Buffer(-2e-5).Intersection(road).Length).ToList();

    [Fact]
    public void El_Milagro_sectors_from_the_comisaria_do_not_cross_Avenida_Miguel_Grau()
    {
        var road = MiguelGrau();
        Assert.True(road.Length > 0.02); // the road is in the file (about 4.8 km)
        using var plain = new TempDir();
        var run = Sectorize(plain, milagro.Path, "--sectors", "4", "--objective", "response",
            "--centres", SharedGeodata.PathOf("police/comisarias_trujillo_osm.geojson"), "--centre-names", "PNP MILAGRO",
            "--streets", Streets, "--mode", "foot");
        Assert.True(run.ExitCode == 0, run.Error);
        // Without the barrier some sector does hold the road (else this test would prove nothing).
        Assert.Contains(RoadInside(plain.File("s.geojson"), road), l => l > 1e-4);

        using var dir = new TempDir();
        run = Sectorize(dir, milagro.Path, "--sectors", "4", "--objective", "response",
            "--centres", SharedGeodata.PathOf("police/comisarias_trujillo_osm.geojson"), "--centre-names", "PNP MILAGRO",
            "--streets", Streets, "--mode", "foot", "--barrier-classes", "primary");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Barriers: 2 line(s)", run.Out);
        var r = Report(dir.File("r.json"));
        var b = r.GetProperty("barriers");
        Assert.Equal(0, b.GetProperty("linksKept").GetInt32());
        Assert.True(b.GetProperty("linksCut").GetInt32() > 10);
        Assert.Equal(4, b.GetProperty("sectorsPerPart").EnumerateArray().Sum(x => x.GetInt32()));
        Assert.True(r.GetProperty("contiguous").GetBoolean());
        Assert.True(r.GetProperty("travel").GetProperty("sectors")[0].GetProperty("centreFixed").GetBoolean());
        Assert.Equal("primary", r.GetProperty("parameters").GetProperty("barrierClasses")[0].GetString());
        Assert.All(RoadInside(dir.File("s.geojson"), road), l => Assert.True(l < 1e-4, $"a sector holds {l * 111_000:F0} m of the avenue"));
        // The plan says the balance the parts allow when it misses the tolerance.
        if (r.GetProperty("maxDeviationPct").GetDouble() > 5)
            Assert.Contains(r.GetProperty("notes").EnumerateArray(), n => n.GetProperty("code").GetString() == "sectors.barrier_balance_bound");
    }

    [Fact]
    public void A_barrier_file_in_utm_cuts_the_same_links_as_the_street_class()
    {
        using var dir = new TempDir();
        var features = VectorFile.Read(Streets).Features
            .Where(f => f.Attributes.Exists("highway") && (f.Attributes["highway"] as string) == "primary").ToList();
        var utm = dir.File("grau_utm.gpkg");
        VectorFile.Write(utm, features.Select(f => (IFeature)new Feature(f.Geometry, f.Attributes)), 4326, 32717);
        var run = Sectorize(dir, milagro.Path, "--sectors", "4", "--barriers", utm);
        Assert.True(run.ExitCode == 0, run.Error);
        var fromFile = Report(dir.File("r.json")).GetProperty("barriers");
        Assert.Equal(64, Report(dir.File("r.json")).GetProperty("parameters").GetProperty("barriersSha256").GetString()!.Length);

        run = Sectorize(dir, milagro.Path, "--sectors", "4", "--streets", Streets, "--mode", "foot", "--barrier-classes", "primary");
        Assert.True(run.ExitCode == 0, run.Error);
        var fromClass = Report(dir.File("r.json")).GetProperty("barriers");
        Assert.Equal(fromClass.GetProperty("linksCut").GetInt32(), fromFile.GetProperty("linksCut").GetInt32());
        Assert.Equal(fromClass.GetProperty("parts").GetInt32(), fromFile.GetProperty("parts").GetInt32());
    }

    [Fact]
    public void Barriers_with_units_a_previous_plan_and_a_lock_honour_all_four()
    {
        using var first = new TempDir();
        var run = Sectorize(first, milagro.Path, "--sectors", "3", "--streets", Streets, "--mode", "foot", "--barrier-classes", "primary");
        Assert.True(run.ExitCode == 0, run.Error);
        var previous = VectorFile.Read(first.File("a.geojson")).Features;
        var block = (string)previous[0].Attributes["id"];
        using var dir = new TempDir();
        run = Sectorize(dir, milagro.Path, "--units", "2,1,1", "--seed", "4", "--streets", Streets, "--mode", "foot", "--barrier-classes", "primary",
            "--previous", first.File("a.geojson"), "--lock", $"{block}=1");
        Assert.True(run.ExitCode == 0, run.Error);
        var r = Report(dir.File("r.json"));
        Assert.True(r.GetProperty("contiguous").GetBoolean());
        Assert.Equal(JsonValueKind.Object, r.GetProperty("churn").ValueKind);
        var s = r.GetProperty("sectors").EnumerateArray().ToList();
        Assert.Equal(2 * s[1].GetProperty("targetWorkload").GetDouble(), s[0].GetProperty("targetWorkload").GetDouble(), 3);
        var assigned = VectorFile.Read(dir.File("a.geojson")).Features.ToDictionary(f => (string)f.Attributes["id"], f => Convert.ToInt32(f.Attributes["sector"]));
        Assert.Equal(1, assigned[block]);
        Assert.All(RoadInside(dir.File("s.geojson"), MiguelGrau()), l => Assert.True(l < 1e-4, $"a sector holds {l * 111_000:F0} m of the avenue"));
    }

    [Fact]
    public void Why_with_the_plan_s_report_refuses_a_move_across_the_avenue()
    {
        using var dir = new TempDir();
        var run = Sectorize(dir, milagro.Path, "--sectors", "4", "--streets", Streets, "--mode", "foot", "--barrier-classes", "primary");
        Assert.True(run.ExitCode == 0, run.Error);
        var road = MiguelGrau();
        // Blocks along the avenue: the blocks across it are their neighbours (it is a shared edge), in other sectors.
        var along = VectorFile.Read(dir.File("a.geojson")).Features.Where(f => f.Geometry.Distance(road) < 2e-5)
            .Select(f => (string)f.Attributes["id"]).Order(StringComparer.Ordinal).Take(12).ToList();
        Assert.NotEmpty(along);
        var refusedSeen = 0;
        foreach (var block in along)
        {
            var plain = CliRun.Of("why", "--blocks", milagro.Path, "--assignment", dir.File("a.geojson"), "--block", block, "--report", dir.File("w0.json"));
            Assert.True(plain.ExitCode == 0, plain.Error);
            var withPlan = CliRun.Of("why", "--blocks", milagro.Path, "--assignment", dir.File("a.geojson"), "--block", block,
                "--plan", dir.File("r.json"), "--report", dir.File("w1.json"));
            Assert.True(withPlan.ExitCode == 0, withPlan.Error);
            var w0 = Report(dir.File("w0.json"));
            var w1 = Report(dir.File("w1.json"));
            var reasons = w1.GetProperty("reasons").EnumerateArray().ToList();
            Assert.All(reasons, r => Assert.StartsWith("sectors.why_", r.GetProperty("code").GetString()));
            foreach (var r in reasons.Where(r => r.GetProperty("code").GetString() == "sectors.why_move_refused"))
            {
                refusedSeen++;
                Assert.Contains("Avenida Miguel Grau", r.GetProperty("args").GetProperty("barrier").GetString());
                Assert.Contains(r.GetProperty("text").GetString()!, withPlan.Out);
                // The refused sector is one the block could move to without the barriers.
                var label = r.GetProperty("args").GetProperty("sector").GetString();
                Assert.Contains(w0.GetProperty("reasons").EnumerateArray(), x => x.GetProperty("args").TryGetProperty("to", out var to) && to.GetString() == label
                    || w0.GetProperty("ifMoved").ValueKind == JsonValueKind.Object);
                if (w1.TryGetProperty("ifMoved", out var moved) && moved.ValueKind == JsonValueKind.Object)
                    Assert.NotEqual(label, $"S{moved.GetProperty("toSector").GetInt32() + 1}");
            }
        }
        Assert.True(refusedSeen > 0, $"no block of {string.Join(", ", along)} was refused a move across the avenue");
    }

    [Fact]
    public void Bad_barrier_options_exit_with_one_line()
    {
        using var dir = new TempDir();
        var run = Sectorize(dir, milagro.Path, "--sectors", "4", "--barrier-classes", "primary");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--barrier-classes needs --streets", run.Error);
        run = Sectorize(dir, milagro.Path, "--sectors", "4", "--streets", Streets, "--mode", "foot", "--barrier-classes", "canal");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("No street of class canal", run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.False(File.Exists(dir.File("r.json")));
    }
}
