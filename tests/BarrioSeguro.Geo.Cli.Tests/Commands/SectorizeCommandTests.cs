using System.Globalization;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Data.Tests;
using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>El Milagro's blocks made once with <c>barrio blocks</c>, shared by the tests of a class.</summary>
public sealed class ElMilagroBlocksFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public ElMilagroBlocksFixture()
    {
        Path = _dir.File("manzanas.geojson");
        var run = CliRun.Of("blocks", "--streets", SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson"),
            "--boundary", SharedGeodata.PathOf("sample/el_milagro_barrio_seguro_illustrative.geojson"), "--out", Path);
        Assert.True(run.ExitCode == 0, run.Error);
        // Deterministic incidents: none in the OSM sample, so every seventh block gets a few (the workload then mixes both terms).
        var set = VectorFile.Read(Path);
        var features = set.Features.Select((f, i) =>
        {
            f.Attributes["incidents"] = i % 7 == 0 ? 1 + i % 3 : 0;
            return f;
        }).ToList();
        VectorFile.Write(Path, features, set.Epsg);
        Count = features.Count;
    }

    public string Path { get; }

    public int Count { get; }

    public void Dispose() => _dir.Dispose();
}

public class SectorizeCommandTests(ElMilagroBlocksFixture milagro) : IClassFixture<ElMilagroBlocksFixture>
{
    /// <summary>A 4 × 3 grid of 100 m blocks sharing edges, ids g0..g11, workload from "calls".</summary>
    internal static string Grid(int cols = 4, int rows = 3, bool ids = true, bool island = false)
    {
        var sb = new StringBuilder("""{"type":"FeatureCollection","features":[""");
        const double x0 = -79.05, y0 = -8.08, d = 0.0009;
        var n = 0;
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++, n++)
            {
                if (n > 0) sb.Append(',');
                sb.Append(Block(x0 + c * d, y0 + r * d, d, ids ? $"\"id\":\"g{n}\"," : "", 1 + n % 3));
            }
        if (island) sb.Append(',').Append(Block(x0 + (cols + 3) * d, y0, d, ids ? "\"id\":\"isla\"," : "", 2));
        return sb.Append("]}").ToString();
    }

    private static string Block(double x, double y, double d, string id, int calls) =>
        "{\"type\":\"Feature\",\"properties\":{" + id + "\"calls\":" + calls + ",\"zero\":0},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
        + Ring(x, y, x + d, y + d) + "}}";

    internal static string Ring(double xa, double ya, double xb, double yb) => string.Create(CultureInfo.InvariantCulture,
        $"[[[{xa},{ya}],[{xb},{ya}],[{xb},{yb}],[{xa},{yb}],[{xa},{ya}]]]");

    private static JsonElement Report(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static CliRun Sectorize(TempDir dir, string blocks, params string[] extra) =>
        CliRun.Of(["sectorize", "--blocks", blocks, "--out", dir.File("s.geojson"), "--assignment", dir.File("a.geojson"),
            "--report", dir.File("r.json"), .. extra]);

    private static Dictionary<string, int> Assignment(string path) =>
        VectorFile.Read(path).Features.ToDictionary(f => (string)f.Attributes["id"], f => Convert.ToInt32(f.Attributes["sector"], CultureInfo.InvariantCulture));

    [Fact]
    public void A_hand_made_grid_into_3_sectors()
    {
        using var dir = new TempDir();
        var grid = dir.Write("grid.geojson", Grid());
        var run = Sectorize(dir, grid, "--sectors", "3", "--weight", "calls");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("workload: calls × 1", run.Out);
        Assert.Matches(@"3 sectors, max deviation \d+\.\d %, all contiguous, mean Polsby-Popper \d\.\d\d, in \d+\.\d\d s", run.Out);
        var r = Report(dir.File("r.json"));
        var sectors = r.GetProperty("sectors").EnumerateArray().ToList();
        Assert.Equal(3, sectors.Count);
        foreach (var s in sectors)
            foreach (var name in new[] { "id", "workload", "blocks", "areaKm2", "polsbyPopper", "contiguous" })
                Assert.True(s.TryGetProperty(name, out _), $"sector lacks {name}");
        Assert.Equal(12, sectors.Sum(s => s.GetProperty("blocks").GetInt32()));
        Assert.Equal(r.GetProperty("totalWorkload").GetDouble(), sectors.Sum(s => s.GetProperty("workload").GetDouble()), 3);
        Assert.True(r.GetProperty("contiguous").GetBoolean());
        Assert.Equal(1, r.GetProperty("seed").GetInt32());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("churn").ValueKind);
        Assert.True(r.GetProperty("elapsedMs").GetDouble() > 0);
        Assert.True(r.TryGetProperty("maxDeviationPct", out _));
        Assert.Equal(64, r.GetProperty("parameters").GetProperty("blocksSha256").GetString()!.Length);

        var sectorFile = VectorFile.Read(dir.File("s.geojson"));
        Assert.Equal(3, sectorFile.Count);
        Assert.Equal(["sector", "workload", "blocks", "area_km2", "pp", "contig"], sectorFile.Features[0].Attributes.GetNames());
        var assigned = Assignment(dir.File("a.geojson"));
        Assert.Equal(12, assigned.Count);
        Assert.Equal([0, 1, 2], assigned.Values.Distinct().Order());
    }

    [Fact]
    public void Blocks_without_ids_are_named_by_place_and_a_note_says_so()
    {
        using var dir = new TempDir();
        var grid = dir.Write("grid.geojson", Grid(ids: false));
        var run = Sectorize(dir, grid, "--sectors", "2", "--weight", "calls=2");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("12 block(s) have no id attribute: named B0, B1… by their place in the file", run.Out);
        Assert.Contains("B11", Assignment(dir.File("a.geojson")).Keys);
    }

    [Fact]
    public void Lang_es_says_the_notes_in_Spanish_on_screen_and_in_the_report_with_the_same_code()
    {
        using var dir = new TempDir();
        var grid = dir.Write("grid.geojson", Grid(ids: false));
        var run = Sectorize(dir, grid, "--sectors", "2", "--weight", "calls=2", "--lang", "es");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("12 manzana(s) sin atributo id: nombradas B0, B1… según su lugar en el archivo", run.Out);
        Assert.DoesNotContain("have no id attribute", run.Out);
        var note = Report(dir.File("r.json")).GetProperty("notes").EnumerateArray().First(n => n.GetProperty("code").GetString() == "input.generated_ids");
        Assert.Equal(12, note.GetProperty("args").GetProperty("count").GetInt32());
        Assert.StartsWith("12 manzana(s) sin atributo id", note.GetProperty("text").GetString());

        var bad = Sectorize(dir, grid, "--sectors", "2", "--weight", "calls=2", "--lang", "fr");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--lang (or BARRIO_LANG) must be es or en, not 'fr'", bad.Error);
    }

    [Fact]
    public void El_Milagro_into_4_sectors_is_balanced_within_5_percent_and_contiguous()
    {
        using var dir = new TempDir();
        var run = Sectorize(dir, milagro.Path, "--sectors", "4");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("workload: incidents × 1 + frontage_m × 0.01 (default)", run.Out);
        var r = Report(dir.File("r.json"));
        Assert.Equal(milagro.Count, r.GetProperty("sectors").EnumerateArray().Sum(s => s.GetProperty("blocks").GetInt32()));
        Assert.Equal(milagro.Count, r.GetProperty("blocks").GetInt32());
        Assert.True(r.GetProperty("contiguous").GetBoolean());
        Assert.All(r.GetProperty("sectors").EnumerateArray(), s => Assert.True(s.GetProperty("contiguous").GetBoolean()));
        Assert.True(r.GetProperty("maxDeviationPct").GetDouble() <= 5, $"max deviation {r.GetProperty("maxDeviationPct")}");
        var weights = r.GetProperty("weights").EnumerateArray().Select(w => w.GetProperty("attribute").GetString()).ToList();
        Assert.Equal(["incidents", "frontage_m"], weights);
        // Islands (blocks with no shared edge) are attached and named, contiguous only by necessity.
        if (r.GetProperty("islands").GetArrayLength() > 0)
            Assert.Contains(r.GetProperty("notes").EnumerateArray(), n => n.GetProperty("text").GetString()!.Contains("contiguous only by necessity"));
    }

    [Fact]
    public void The_same_seed_gives_the_same_plan_and_previous_equal_to_the_output_gives_churn_0()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        Assert.Equal(0, Sectorize(a, milagro.Path, "--sectors", "5", "--seed", "7").ExitCode);
        Assert.Equal(0, Sectorize(b, milagro.Path, "--sectors", "5", "--seed", "7").ExitCode);
        Assert.Equal(Assignment(a.File("a.geojson")), Assignment(b.File("a.geojson")));
        Assert.Equal(File.ReadAllText(a.File("s.geojson")), File.ReadAllText(b.File("s.geojson")));

        using var c = new TempDir();
        var again = Sectorize(c, milagro.Path, "--sectors", "5", "--seed", "7", "--previous", a.File("a.geojson"));
        Assert.True(again.ExitCode == 0, again.Error);
        var churn = Report(c.File("r.json")).GetProperty("churn");
        Assert.Equal(0, churn.GetProperty("blocksChanged").GetInt32());
        Assert.Equal(0, churn.GetProperty("workloadSharePct").GetDouble());
        Assert.Contains("0 block(s) changed sector", again.Out);
    }

    [Fact]
    public void A_locked_block_stays_in_its_sector()
    {
        using var dir = new TempDir();
        var grid = dir.Write("grid.geojson", Grid());
        var free = Sectorize(dir, grid, "--sectors", "3", "--weight", "calls");
        Assert.Equal(0, free.ExitCode);
        var before = Assignment(dir.File("a.geojson"));
        var target = (before["g0"] + 1) % 3; // a sector g0 was not in
        var run = Sectorize(dir, grid, "--sectors", "3", "--weight", "calls", "--lock", $"g0={target}");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(target, Assignment(dir.File("a.geojson"))["g0"]);

        var csv = dir.Write("locks.csv", $"id,sector\ng11,{target}\n");
        var fromFile = Sectorize(dir, grid, "--sectors", "3", "--weight", "calls", "--lock", "@" + csv);
        Assert.True(fromFile.ExitCode == 0, fromFile.Error);
        Assert.Equal(target, Assignment(dir.File("a.geojson"))["g11"]);
        Assert.Equal(target, Report(dir.File("r.json")).GetProperty("parameters").GetProperty("locks").GetProperty("g11").GetInt32());
    }

    [Fact]
    public void A_contingent_file_decides_k_and_the_staffing_is_explained()
    {
        using var dir = new TempDir();
        var contingent = dir.Write("contingente.json", """{"officers":20,"shifts":3}""");
        var run = Sectorize(dir, milagro.Path, "--contingent", contingent);
        Assert.True(run.ExitCode == 0, run.Error);
        var expected = StaffingCalculator.Compute(new ContingentPlan(20, BarrioSeguro.Geo.Planning.Shifts.Equal(3), 1, PatrolMode.FootPair));
        foreach (var line in expected.Explanation) Assert.Contains("staffing: " + line, run.Out);
        var r = Report(dir.File("r.json"));
        Assert.Equal(expected.SectorsPerShift, r.GetProperty("sectors").GetArrayLength());
        Assert.Equal(expected.SectorsPerShift, r.GetProperty("staffing").GetProperty("sectorsPerShift").GetInt32());
        Assert.Equal(expected.SectorsPerShift, r.GetProperty("parameters").GetProperty("k").GetInt32());

        // The full form, and the sample file of the repository.
        var full = dir.Write("full.json", """
            {"officers":20,"shifts":[{"name":"mañana","hours":8},{"name":"tarde","hours":8},{"name":"noche","hours":8}],
             "availability":0.85,"mode":"foot","crew":2,"jointUnits":1}
            """);
        var fullRun = Sectorize(dir, milagro.Path, "--contingent", full);
        Assert.True(fullRun.ExitCode == 0, fullRun.Error);
        var fullExpected = StaffingCalculator.Compute(new ContingentPlan(20,
            [new("mañana", 8), new("tarde", 8), new("noche", 8)], 0.85, PatrolMode.FootPair, 1));
        Assert.Equal(fullExpected.SectorsPerShift, Report(dir.File("r.json")).GetProperty("sectors").GetArrayLength());
        Assert.Contains("noche", fullRun.Out);

        var sample = Sectorize(dir, milagro.Path, "--contingent", SharedGeodata.PathOf("sample/el_milagro_contingent.json"));
        Assert.True(sample.ExitCode == 0, sample.Error);
        Assert.Equal(expected.SectorsPerShift, Report(dir.File("r.json")).GetProperty("k").GetInt32());
    }

    [Fact]
    public void An_island_is_attached_by_default_or_gets_its_own_sector_or_is_refused()
    {
        using var dir = new TempDir();
        var grid = dir.Write("grid.geojson", Grid(island: true));
        var attach = Sectorize(dir, grid, "--sectors", "3", "--weight", "calls");
        Assert.True(attach.ExitCode == 0, attach.Error);
        var r = Report(dir.File("r.json"));
        Assert.Equal(["isla"], r.GetProperty("islands").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("only by necessity", attach.Out);

        var own = Sectorize(dir, grid, "--sectors", "3", "--weight", "calls", "--islands", "own");
        Assert.True(own.ExitCode == 0, own.Error);
        var assigned = Assignment(dir.File("a.geojson"));
        Assert.DoesNotContain(assigned.Where(p => p.Key != "isla"), p => p.Value == assigned["isla"]);

        var refuse = Sectorize(dir, grid, "--sectors", "3", "--weight", "calls", "--islands", "refuse");
        Assert.Equal(1, refuse.ExitCode);
        Assert.Contains("isla", refuse.ErrorLine);
    }

    [Theory]
    [InlineData(1, "20 sectors from 12 blocks", "--sectors", "20", "--weight", "calls")]
    [InlineData(1, "total workload is zero", "--sectors", "2", "--weight", "zero")]
    [InlineData(2, "the weight of 'calls' is negative", "--sectors", "2", "--weight", "calls=-1")]
    [InlineData(1, "Unknown attribute 'robos'. The blocks have: calls, id, zero", "--sectors", "2", "--weight", "robos")]
    [InlineData(2, "give --sectors K or --contingent FILE")]
    [InlineData(2, "--islands must be attach, own or refuse", "--sectors", "2", "--islands", "maybe")]
    [InlineData(2, "--sectors must be a whole number", "--sectors", "two")]
    [InlineData(1, "Locked block(s) that do not exist: nada", "--sectors", "2", "--weight", "calls", "--lock", "nada=1")]
    [InlineData(1, "no incidents or frontage_m attribute", "--sectors", "2")]
    public void Bad_input_is_one_clear_line_with_the_right_exit_code(int code, string message, params string[] extra)
    {
        using var dir = new TempDir();
        var grid = dir.Write("grid.geojson", Grid());
        var run = Sectorize(dir, grid, extra);
        Assert.Equal(code, run.ExitCode);
        Assert.Contains(message, run.ErrorLine);
        Assert.StartsWith("barrio sectorize: ", run.ErrorLine);
        Assert.False(File.Exists(dir.File("r.json")));
    }

    [Fact]
    public void Evaluate_a_hand_drawn_plan_of_two_polygons()
    {
        using var dir = new TempDir();
        var grid = dir.Write("grid.geojson", Grid());
        // West half (columns 0-1) and east half (columns 2-3), drawn a little loosely.
        const double x0 = -79.05, y0 = -8.08, d = 0.0009;
        string Rect(string sector, double xa, double xb) =>
            "{\"type\":\"Feature\",\"properties\":{\"sector\":\"" + sector + "\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
            + Ring(xa, y0 - 0.0002, xb, y0 + 3 * d + 0.0002) + "}}";
        var plan = dir.Write("a_mano.geojson",
            "{\"type\":\"FeatureCollection\",\"features\":[" + Rect("Oeste", x0 - 0.0002, x0 + 2 * d + 0.0001) + "," + Rect("Este", x0 + 2 * d + 0.0001, x0 + 4 * d + 0.0002) + "]}");
        var run = CliRun.Of("evaluate", "--blocks", grid, "--plan", plan, "--report", dir.File("e.json"), "--weight", "calls");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("drawn sectors", run.Out);
        Assert.Contains("Oeste = 0, Este = 1", run.Out);
        var r = Report(dir.File("e.json"));
        var sectors = r.GetProperty("sectors").EnumerateArray().ToList();
        Assert.Equal(2, sectors.Count);
        Assert.Equal([6, 6], sectors.Select(s => s.GetProperty("blocks").GetInt32()));
        Assert.True(r.GetProperty("contiguous").GetBoolean());
        Assert.Equal("drawn", r.GetProperty("planKind").GetString());
        // calls = 1 + n % 3: west g0,g1,g4,g5,g8,g9 = 1+2+2+3+3+1 = 12, east 3+1+1+2+2+3 = 12: balanced.
        Assert.Equal(0, r.GetProperty("maxDeviationPct").GetDouble(), 6);

        // An assigned-blocks file gives the same figures as sectorize reported.
        Assert.Equal(0, Sectorize(dir, grid, "--sectors", "3", "--weight", "calls").ExitCode);
        var assigned = CliRun.Of("evaluate", "--blocks", grid, "--plan", dir.File("a.geojson"), "--report", dir.File("e2.json"), "--weight", "calls");
        Assert.True(assigned.ExitCode == 0, assigned.Error);
        Assert.Equal(Report(dir.File("r.json")).GetProperty("maxDeviationPct").GetDouble(), Report(dir.File("e2.json")).GetProperty("maxDeviationPct").GetDouble());
        Assert.Equal("assigned", Report(dir.File("e2.json")).GetProperty("planKind").GetString());
    }

    [Fact]
    public void Evaluate_names_blocks_outside_the_drawn_sectors()
    {
        using var dir = new TempDir();
        var grid = dir.Write("grid.geojson", Grid());
        var plan = dir.Write("p.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sector":0},"geometry":{"type":"Polygon","coordinates":[[[-79.0501,-8.0801],[-79.0490,-8.0801],[-79.0490,-8.0790],[-79.0501,-8.0790],[-79.0501,-8.0801]]]}}]}
            """);
        var run = CliRun.Of("evaluate", "--blocks", grid, "--plan", plan, "--report", dir.File("e.json"), "--weight", "calls");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("lie outside every drawn sector", run.ErrorLine);
    }
}

/// <summary>Defect 7: a planning unit in two pieces (a reporting area split by another unit) is planned as one unit.</summary>
public class MultipartUnitTests(ElMilagroBlocksFixture milagro) : IClassFixture<ElMilagroBlocksFixture>
{
    [Fact]
    public void A_real_two_part_unit_is_accepted_and_both_its_pieces_go_to_one_sector()
    {
        using var dir = new TempDir();
        var set = VectorFile.Read(milagro.Path);
        var shapes = set.Features.Select(f => f.Geometry).ToList();
        bool Share(int i, int j) => shapes[i].Intersects(shapes[j]) && shapes[i].Intersection(shapes[j]).Length > 1e-5;
        // Two real El Milagro blocks with a third between them: a unit in two pieces that do not touch.
        var (a, c) = (from i in Enumerable.Range(0, shapes.Count)
                      from j in Enumerable.Range(0, shapes.Count)
                      where i < j && !shapes[i].Intersects(shapes[j]) && shapes[i].Distance(shapes[j]) < 0.0005
                            && Enumerable.Range(0, shapes.Count).Any(b => Share(i, b) && Share(b, j))
                      select (i, j)).First();
        var factory = shapes[a].Factory;
        var unit = factory.CreateMultiPolygon([(NetTopologySuite.Geometries.Polygon)shapes[a], (NetTopologySuite.Geometries.Polygon)shapes[c]]);
        var attributes = new NetTopologySuite.Features.AttributesTable
        {
            { "id", "zona-2-partes" },
            { "incidents", Convert.ToInt32(set.Features[a].Attributes["incidents"], CultureInfo.InvariantCulture) + Convert.ToInt32(set.Features[c].Attributes["incidents"], CultureInfo.InvariantCulture) },
            { "frontage_m", Convert.ToDouble(set.Features[a].Attributes["frontage_m"], CultureInfo.InvariantCulture) + Convert.ToDouble(set.Features[c].Attributes["frontage_m"], CultureInfo.InvariantCulture) },
        };
        var features = set.Features.Where((_, i) => i != a && i != c).Prepend(new NetTopologySuite.Features.Feature(unit, attributes)).ToList();
        var units = dir.File("unidades.geojson");
        VectorFile.Write(units, features, set.Epsg);

        var run = CliRun.Of("sectorize", "--blocks", units, "--sectors", "4", "--out", dir.File("s.geojson"), "--assignment", dir.File("a.geojson"),
            "--report", dir.File("r.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("1 unit(s) in several pieces", run.Out);
        var report = JsonDocument.Parse(File.ReadAllText(dir.File("r.json"))).RootElement;
        Assert.Equal(milagro.Count - 1, report.GetProperty("blocks").GetInt32());
        Assert.True(report.GetProperty("contiguous").GetBoolean(), report.GetRawText());
        Assert.DoesNotContain(report.GetProperty("notes").EnumerateArray(), n => n.GetProperty("text").GetString()!.Contains("snap rounding"));

        var assigned = VectorFile.Read(dir.File("a.geojson")).Features.Single(f => (string)f.Attributes["id"] == "zona-2-partes");
        Assert.Equal(2, assigned.Geometry.NumGeometries);
        var sector = Convert.ToInt32(assigned.Attributes["sector"], CultureInfo.InvariantCulture);
        var outline = VectorFile.Read(dir.File("s.geojson")).Features.Single(f => Convert.ToInt32(f.Attributes["sector"], CultureInfo.InvariantCulture) == sector).Geometry;
        Assert.True(outline.Buffer(1e-7).Covers(shapes[a]) && outline.Buffer(1e-7).Covers(shapes[c]), "both pieces lie in the unit's sector");
    }
}
