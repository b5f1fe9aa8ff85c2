using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Data.Neighborhoods;
using BarrioSeguro.Geo.Data.Sectors;
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
