using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Data.Neighborhoods;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Network;
using BarrioSeguro.Geo.Planning.Reports;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Network;

/// <summary>The kept coverage pieces are clipped by PostGIS to the plan's neighbourhood: what lies beyond it is "outside".</summary>
[Collection(PostgisCollection.Name)]
public class CoveragePiecesTests(PostgisFixture postgis)
{
    // The neighbourhood: x -79.07..-79.06, y -8.03..-8.02.
    private const string Square = "MULTIPOLYGON(((-79.07 -8.03,-79.06 -8.03,-79.06 -8.02,-79.07 -8.02,-79.07 -8.03)))";

    private static MultiLineString Lines(string wkt) => (MultiLineString)TestGeometry.Wkt(wkt);

    [SkippableFact]
    public async Task Kept_pieces_read_back_as_the_computation_made_them_and_a_refused_write_keeps_nothing()
    {
        var cs = await postgis.CreateDatabaseAsync("coverage_kept");
        await BarrioDatabase.MigrateAsync(cs);
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var plan = await PlanAsync(db);
        var graph = StreetGraph.Build(StreetLines.Network(VectorFile.Read(Geodata("osm/el_milagro_streets_wgs84.geojson"))), TravelMode.Foot);
        var nodes = graph.Edges.Where(e => e.Component == 0).Select(e => e.From).Distinct().Order().ToList();
        CoverageUnit Unit(int i) => new($"U{i}", graph.NodeLonLat(nodes[i * nodes.Count / 4]));
        // Two shifts: a row each, in one write; two units at the ends of one street for backup pieces, edges cut at the threshold.
        var street = graph.Edges.First(e => e.Component == 0);
        var outcomes = new[]
        {
            CoveragePlanning.Once(graph, [new("A", graph.NodeLonLat(street.From)), new("B", graph.NodeLonLat(street.To)), Unit(2)], 5,
                new CoverageTargets(), "mañana", "test", []),
            CoveragePlanning.Once(graph, [Unit(3)], 3, new CoverageTargets(), "noche", "test", []),
        };
        var store = new CoverageStore(db);
        var kept = await store.AddAsync(plan.Id, outcomes, default);

        Assert.Equal(["mañana", "noche"], kept.Select(k => k.Shift));
        Assert.Equal(kept.Select(k => k.Id).OrderByDescending(i => i), (await store.ListAsync(plan.Id, default)).Select(k => k.Id));
        for (var i = 0; i < outcomes.Length; i++)
        {
            var (report, result) = (outcomes[i].Report, outcomes[i].Result);
            var row = await store.GetAsync(kept[i].Id, default);
            Assert.NotNull(row);
            Assert.Equal((plan.Id, report.Mode, report.Minutes, report.Shift, report.Units), (row.PlanId, row.Mode, row.Minutes, row.Shift, row.Units));
            Assert.Equal(PlanningJson.Serialize(report), PlanningJson.Serialize(PlanningJson.Deserialize<CoverageReport>(row.ReportJson)));
            foreach (var (read, made) in new[] { (row.Covered, result.CoveredPieces()), (row.Uncovered, result.UncoveredPieces()), (row.Backup, result.BackupPieces()) })
            {
                Assert.Equal(4326, read.SRID);
                Assert.True(made.EqualsExact(read), $"{made.NumGeometries} pieces made, {read.NumGeometries} read back");
            }
            Assert.True(row.Covered.NumGeometries > 0 && row.Uncovered.NumGeometries > 0);
        }
        Assert.False(outcomes[0].Result.BackupPieces().IsEmpty);
        // The pieces' lengths as PostGIS measures them on the sphere: covered and uncovered make up the network.
        var metres = await db.Database.SqlQueryRaw<double>(
            "SELECT ST_Length(ST_Collect(covered, uncovered)::geography) AS \"Value\" FROM plan_coverages WHERE id = {0}", kept[0].Id).SingleAsync();
        Assert.InRange(metres / 1000 / outcomes[0].Report.NetworkFigures.StreetKm, 0.995, 1.005);

        // A plan that is not there: refused by the database, and no row of the write is kept.
        var before = await db.PlanCoverages.CountAsync();
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => store.AddAsync(plan.Id + 1000, outcomes, default));
        Assert.Equal(before, await db.PlanCoverages.CountAsync());
    }

    private static string Geodata(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, "repository root (BarrioSeguro.Geo.sln) not found");
        return Path.Combine(dir!.FullName, "geodata", relative);
    }

    private static async Task<SectorPlan> PlanAsync(BarrioDbContext db)
    {
        var n = (await new NeighborhoodStore(db).CreateAsync(
            new NeighborhoodChange("El Milagro", null, (MultiPolygon)TestGeometry.Wkt(Square), null, true, null), new Edit("test"), default)).Neighborhood!;
        var plan = new SectorPlan
        {
            NeighborhoodId = n.Id, NeighborhoodVersion = n.Version, Name = "p", Author = "test", CreatedAt = DateTimeOffset.UtcNow, Sectors = 1,
            ParametersJson = "{}", DataVersion = "x", AssignmentJson = "{}", ReportJson = "{}",
        };
        db.SectorPlans.Add(plan);
        await db.SaveChangesAsync();
        return plan;
    }

    [SkippableFact]
    public async Task Pieces_inside_keep_their_status_and_the_streets_beyond_the_neighbourhood_are_outside()
    {
        var cs = await postgis.CreateDatabaseAsync("coverage_pieces");
        await BarrioDatabase.MigrateAsync(cs);
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var n = (await new NeighborhoodStore(db).CreateAsync(
            new NeighborhoodChange("El Milagro", null, (MultiPolygon)TestGeometry.Wkt(Square), null, true, null), new Edit("test"), default)).Neighborhood!;
        var plan = new SectorPlan
        {
            NeighborhoodId = n.Id, NeighborhoodVersion = n.Version, Name = "p", Author = "test", CreatedAt = DateTimeOffset.UtcNow, Sectors = 1,
            ParametersJson = "{}", DataVersion = "x", AssignmentJson = "{}", ReportJson = "{}",
        };
        db.SectorPlans.Add(plan);
        await db.SaveChangesAsync();
        var coverage = new PlanCoverage
        {
            PlanId = plan.Id, Mode = "foot", Minutes = 5, Shift = "mañana", Units = 1, CreatedAt = DateTimeOffset.UtcNow, ReportJson = "{}",
            // Crosses the west edge: half (0.005°) inside.
            Covered = Lines("MULTILINESTRING((-79.075 -8.025,-79.065 -8.025))"),
            Backup = Lines("MULTILINESTRING((-79.068 -8.025,-79.066 -8.025))"),
            // Crosses the east edge (0.005° inside), runs along it (0.008°, inside: on the boundary), and lies wholly outside (0.01°).
            Uncovered = Lines("MULTILINESTRING((-79.065 -8.022,-79.05 -8.022),(-79.06 -8.029,-79.06 -8.021),(-79.05 -8.04,-79.04 -8.04))"),
        };
        db.PlanCoverages.Add(coverage);
        await db.SaveChangesAsync();

        var pieces = await new CoverageStore(db).PiecesAsync(coverage.Id, default);

        Assert.NotNull(pieces);
        Assert.Equal(("mañana", "foot", 5.0), (pieces.Shift, pieces.Mode, pieces.Minutes));
        Assert.Equal(0.005, pieces.Covered.Length, 9);
        Assert.Equal(0.002, pieces.Backup.Length, 9);
        Assert.Equal(0.005 + 0.008, pieces.Uncovered.Length, 9);
        Assert.Equal(0.005 + 0.01 + 0.01, pieces.Outside.Length, 9);
        var area = TestGeometry.Wkt(Square);
        foreach (var g in new[] { pieces.Covered, pieces.Backup, pieces.Uncovered, pieces.Outside })
        {
            Assert.Equal("MultiLineString", g.GeometryType);
            Assert.Equal(4326, g.SRID);
        }
        for (var i = 0; i < pieces.Outside.NumGeometries; i++)
        {
            var line = (LineString)pieces.Outside.GetGeometryN(i);
            Assert.False(area.Covers(line.Factory.CreatePoint(Middle(line))), line.ToText());
        }
        Assert.True(area.Buffer(1e-9).Covers(pieces.Uncovered));

        Assert.Null(await new CoverageStore(db).PiecesAsync(coverage.Id + 1, default));
    }

    private static Coordinate Middle(LineString line) =>
        new NetTopologySuite.LinearReferencing.LengthIndexedLine(line).ExtractPoint(line.Length / 2);
}
