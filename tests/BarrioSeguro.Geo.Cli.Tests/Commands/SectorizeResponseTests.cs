using System.Text.Json;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary><c>barrio sectorize --objective response</c>: centres at the comisaría, travel on the streets.</summary>
public class SectorizeResponseTests(ElMilagroBlocksFixture milagro) : IClassFixture<ElMilagroBlocksFixture>
{
    private static JsonElement Report(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static CliRun Sectorize(TempDir dir, string blocks, params string[] extra) =>
        CliRun.Of(["sectorize", "--blocks", blocks, "--out", dir.File("s.geojson"), "--assignment", dir.File("a.geojson"),
            "--report", dir.File("r.json"), .. extra]);

    [Fact]
    public void El_Milagro_from_the_comisaria_on_foot_streets()
    {
        using var dir = new TempDir();
        var comisarias = SharedGeodata.PathOf("police/comisarias_trujillo_osm.geojson");
        var run = Sectorize(dir, milagro.Path, "--sectors", "4", "--objective", "response", "--centres", comisarias, "--centre-names", "PNP MILAGRO",
            "--streets", SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson"), "--mode", "foot");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"travel \(street network on foot\): \d+(\.\d)? workload·min, mean \d+\.\d\d min, worst \d+\.\d min", run.Out);
        var r = Report(dir.File("r.json"));
        Assert.Equal("response", r.GetProperty("objective").GetString());
        Assert.True(r.GetProperty("contiguous").GetBoolean());
        Assert.True(r.GetProperty("maxDeviationPct").GetDouble() <= 5 + 1e-9);
        var travel = r.GetProperty("travel");
        Assert.Equal("street network on foot", travel.GetProperty("measure").GetString());
        var sectors = travel.GetProperty("sectors").EnumerateArray().ToList();
        Assert.Equal(4, sectors.Count);
        Assert.True(sectors[0].GetProperty("centreFixed").GetBoolean());
        Assert.Equal(-79.0663893, sectors[0].GetProperty("centreLon").GetDouble(), 6);
        Assert.Equal(-8.0233466, sectors[0].GetProperty("centreLat").GetDouble(), 6);
        Assert.All(sectors.Skip(1), s => Assert.False(string.IsNullOrEmpty(s.GetProperty("centreBlock").GetString())));
        Assert.Equal(travel.GetProperty("totalWeightedMinutes").GetDouble(), sectors.Sum(s => s.GetProperty("weightedMinutes").GetDouble()), 0);
        Assert.All(sectors, s => Assert.True(s.GetProperty("worstMinutes").GetDouble() >= s.GetProperty("meanMinutes").GetDouble()));
        var p = r.GetProperty("parameters");
        Assert.Equal("response", p.GetProperty("objective").GetString());
        Assert.Equal("foot", p.GetProperty("mode").GetString());
        Assert.Equal(64, p.GetProperty("centresSha256").GetString()!.Length);
        Assert.Equal(64, p.GetProperty("streetsSha256").GetString()!.Length);
    }

    [Fact]
    public void A_compact_plan_reports_straight_line_travel_too()
    {
        using var dir = new TempDir();
        var run = Sectorize(dir, milagro.Path, "--sectors", "3", "--speed", "16");
        Assert.True(run.ExitCode == 0, run.Error);
        var t = Report(dir.File("r.json")).GetProperty("travel");
        Assert.Equal("straight line at 16 km/h", t.GetProperty("measure").GetString());
        Assert.True(t.GetProperty("totalWeightedKm").GetDouble() > 0);
        Assert.Equal("compactness", Report(dir.File("r.json")).GetProperty("objective").GetString());
    }

    [Fact]
    public void Units_per_sector_set_k_and_two_pairs_take_twice_the_work()
    {
        using var dir = new TempDir();
        var run = CliRun.Of("sectorize", "--blocks", milagro.Path, "--units", "2,1,1", "--contingent", SharedGeodata.PathOf("sample/el_milagro_contingent.json"),
            "--out", dir.File("s.geojson"), "--assignment", dir.File("a.geojson"), "--report", dir.File("r.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        var r = Report(dir.File("r.json"));
        Assert.Equal(3, r.GetProperty("k").GetInt32());
        var s = r.GetProperty("sectors").EnumerateArray().ToList();
        var total = r.GetProperty("totalWorkload").GetDouble();
        Assert.Equal(total / 2, s[0].GetProperty("targetWorkload").GetDouble(), 2);
        Assert.Equal(2, s[0].GetProperty("units").GetInt32());
        Assert.Equal(1, s[2].GetProperty("units").GetInt32());
        Assert.All(s, x => Assert.True(Math.Abs(x.GetProperty("workload").GetDouble() - x.GetProperty("targetWorkload").GetDouble())
                                       <= 0.05 * x.GetProperty("targetWorkload").GetDouble() + 1e-3, x.GetRawText()));
        Assert.Equal([2, 1, 1], r.GetProperty("parameters").GetProperty("sectorUnits").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void The_exact_polish_is_reported_with_its_bound()
    {
        using var dir = new TempDir();
        var run = Sectorize(dir, milagro.Path, "--sectors", "3", "--objective", "response", "--polish", "20");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Exact polish (SCIP", run.Out);
        var r = Report(dir.File("r.json"));
        var p = r.GetProperty("polish");
        Assert.Equal("SCIP", p.GetProperty("solver").GetString());
        Assert.True(r.GetProperty("contiguous").GetBoolean());
        Assert.True(r.GetProperty("travel").GetProperty("totalWeightedMinutes").GetDouble() <= p.GetProperty("heuristicMinutes").GetDouble() + 0.1);
        if (p.GetProperty("objectiveMinutes").ValueKind == JsonValueKind.Number)
            Assert.True(p.GetProperty("boundMinutes").GetDouble() <= p.GetProperty("objectiveMinutes").GetDouble() + 0.1);
        Assert.Equal(20, r.GetProperty("parameters").GetProperty("polishSeconds").GetDouble());
    }

    [Theory]
    [InlineData(2, "--polish needs --objective response", "--polish", "5")]
    [InlineData(2, "give --sectors K or --units N,N,..., not both", "--units", "1,1")]
    [InlineData(2, "--units must be whole numbers of units from 1 to 1000 per sector, not '0'", "--units", "2,0")]
    [InlineData(2, "--objective must be compactness or response", "--objective", "fast")]
    [InlineData(2, "--speed must be km/h", "--speed", "0")]
    [InlineData(2, "--mode needs --streets", "--mode", "foot")]
    [InlineData(2, "--centres: 'x,1' is not LON,LAT", "--centres", "x,1")]
    [InlineData(1, "no point is named 'Nadie'", "--centres", "@comisarias", "--centre-names", "Nadie")]
    [InlineData(1, "5 fixed centres for 3 sectors", "--centres", "-79.07,-8.03;-79.07,-8.02;-79.06,-8.03;-79.06,-8.02;-79.05,-8.02")]
    public void Bad_response_options_are_one_line_and_the_right_exit_code(int code, string message, params string[] extra)
    {
        using var dir = new TempDir();
        var args = extra.Select(a => a == "@comisarias" ? SharedGeodata.PathOf("police/comisarias_trujillo_osm.geojson") : a).ToArray();
        var run = Sectorize(dir, milagro.Path, args.Contains("--units") && !args.Contains("1,1") ? args : ["--sectors", "3", .. args]);
        Assert.Equal(code, run.ExitCode);
        Assert.Contains(message, run.ErrorLine);
        Assert.False(File.Exists(dir.File("r.json")));
    }
}

/// <summary>Planning units of any kind: hand-made 500 m cells in UTM 17S, one reporting area in two parts.</summary>
public class ReportingAreaUnitsTests
{
    [Fact]
    public void Cells_in_a_projected_crs_with_a_two_part_area_are_planned_and_written_back_in_their_crs()
    {
        using var dir = new TempDir();
        var factory = new NetTopologySuite.Geometries.GeometryFactory(new NetTopologySuite.Geometries.PrecisionModel(), 32717);
        NetTopologySuite.Geometries.Polygon Cell(int c, int r)
        {
            double x = 715_000 + c * 500, y = 9_110_000 + r * 500;
            return factory.CreatePolygon([new(x, y), new(x + 500, y), new(x + 500, y + 500), new(x, y + 500), new(x, y)]);
        }
        var features = new List<NetTopologySuite.Features.IFeature>();
        for (var r = 0; r < 5; r++)
            for (var c = 0; c < 5; c++)
            {
                if ((r, c) is (0, 0) or (0, 2)) continue; // these two make one area in two parts
                features.Add(new NetTopologySuite.Features.Feature(Cell(c, r), new NetTopologySuite.Features.AttributesTable { { "id", $"RA{r}{c}" }, { "calls", 10 + (r * 5 + c) % 7 } }));
            }
        features.Add(new NetTopologySuite.Features.Feature(factory.CreateMultiPolygon([Cell(0, 0), Cell(2, 0)]),
            new NetTopologySuite.Features.AttributesTable { { "id", "RA-2partes" }, { "calls", 30 } }));
        var path = dir.File("areas.gpkg");
        BarrioSeguro.Geo.IO.VectorFile.Write(path, features, 32717);

        var run = CliRun.Of("sectorize", "--blocks", path, "--sectors", "3", "--weight", "calls", "--objective", "response",
            "--out", dir.File("s.geojson"), "--assignment", dir.File("a.gpkg"), "--report", dir.File("r.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("1 unit(s) in several pieces", run.Out);
        var report = JsonDocument.Parse(File.ReadAllText(dir.File("r.json"))).RootElement;
        Assert.Equal(24, report.GetProperty("blocks").GetInt32());
        Assert.True(report.GetProperty("contiguous").GetBoolean(), report.GetRawText());
        Assert.Equal(25 * 0.25, report.GetProperty("sectors").EnumerateArray().Sum(s => s.GetProperty("areaKm2").GetDouble()), 2);
        var assigned = BarrioSeguro.Geo.IO.VectorFile.Read(dir.File("a.gpkg"));
        Assert.Equal(32717, assigned.Epsg);
        Assert.Equal(24, assigned.Count);
        var twoPart = assigned.Features.Single(f => (string)f.Attributes["id"] == "RA-2partes");
        Assert.Equal(2, twoPart.Geometry.NumGeometries);
        Assert.Equal(715_000, twoPart.Geometry.EnvelopeInternal.MinX, 3);
    }
}

/// <summary><c>barrio why</c> on a plan made by <c>barrio sectorize</c>.</summary>
public class WhyCommandTests(ElMilagroBlocksFixture milagro) : IClassFixture<ElMilagroBlocksFixture>
{
    [Fact]
    public void Why_a_centre_block_is_where_it_is_and_a_bad_block_is_one_line()
    {
        using var dir = new TempDir();
        var plan = CliRun.Of("sectorize", "--blocks", milagro.Path, "--sectors", "3", "--objective", "response",
            "--out", dir.File("s.geojson"), "--assignment", dir.File("a.gpkg"), "--report", dir.File("r.json"));
        Assert.True(plan.ExitCode == 0, plan.Error);
        var centre = JsonDocument.Parse(File.ReadAllText(dir.File("r.json"))).RootElement.GetProperty("travel").GetProperty("sectors")[2];
        var block = centre.GetProperty("centreBlock").GetString()!;

        var run = CliRun.Of("why", "--blocks", milagro.Path, "--assignment", dir.File("a.gpkg"), "--block", block, "--report", dir.File("why.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"Block {block} is in S3 (straight line at 5 km/h):", run.Out);
        Assert.Contains("Its sector's centre is the nearest: 0.0 min", run.Out);
        var why = JsonDocument.Parse(File.ReadAllText(dir.File("why.json"))).RootElement;
        Assert.Equal(2, why.GetProperty("sector").GetInt32());
        Assert.Equal(block, why.GetProperty("own").GetProperty("centreBlock").GetString());
        Assert.NotEqual(2, why.GetProperty("nextBest").GetProperty("sector").GetInt32());
        if (why.GetProperty("ifMoved").ValueKind == JsonValueKind.Object)
            Assert.True(why.GetProperty("ifMoved").GetProperty("weightedMinutesAfter").GetDouble() > why.GetProperty("ifMoved").GetProperty("weightedMinutesBefore").GetDouble());

        var bad = CliRun.Of("why", "--blocks", milagro.Path, "--assignment", dir.File("a.gpkg"), "--block", "nada");
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("barrio why: ", bad.ErrorLine);
        Assert.Contains("No block 'nada'", bad.ErrorLine);
    }
}
