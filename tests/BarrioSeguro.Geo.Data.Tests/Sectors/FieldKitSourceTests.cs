using BarrioSeguro.Geo.Core.Notes;
using System.Text.Json.Nodes;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Reports;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Sectors;

/// <summary>What the field kit prints, loaded from a real PostGIS: streets with their names, the newest route of each sector for the shift, its kept GPX and cycle.</summary>
[Collection(PostgisCollection.Name)]
public class FieldKitSourceTests(PostgisFixture postgis)
{
    private static MultiPolygon Square(double west, double south, double d) => (MultiPolygon)TestGeometry.Wkt(FormattableString.Invariant(
        $"MULTIPOLYGON((({west} {south},{west + d} {south},{west + d} {south + d},{west} {south + d},{west} {south})))"));

    private static MultiLineString Line(string coordinates) => (MultiLineString)TestGeometry.Wkt($"MULTILINESTRING(({coordinates}))");

    private static RouteReport Report(string sector, string shift) => new(sector, RouteName.Of(sector, shift), shift, "foot", null, 3.2, 95, 4, 100, 1, true,
        [new StopReport(1, "h1", "Mercado", -79.035, -8.055, "06:20", 20, 10, false)], 0, [], [], []);

    private static PlanRoute Route(int planId, int sector, string shift, string mode, string reportJson, byte[] gpx) => new()
    {
        PlanId = planId, Sector = sector, Shift = shift, CycleShift = shift, Mode = mode, Seed = 1, CreatedAt = DateTimeOffset.UtcNow,
        Track = (LineString)TestGeometry.Wkt("LINESTRING(-79.039 -8.059,-79.035 -8.059)"),
        Stops = (MultiPoint)TestGeometry.Wkt("MULTIPOINT((-79.035 -8.059))"), ReportJson = reportJson, Gpx = gpx,
    };

    [SkippableFact]
    public async Task The_kit_input_has_the_named_streets_around_the_newest_route_of_each_sector_its_GPX_and_its_cycle()
    {
        var cs = await postgis.CreateDatabaseAsync("fieldkit");
        await BarrioDatabase.MigrateAsync(cs);
        int planId;
        byte[] newest = "<gpx>newest</gpx>"u8.ToArray();
        var cycle = new SectorCycleReport("S1", "foot", 14.2, 13.8, [new PassReport("foot", 4, 1800)], 4, true, 100, 3.1, 18,
            [new CalendarEntry(1, "mañana", "Sector S1 · turno mañana", 10.5, 430, 2.5, 25)], []);
        await using (var db = new BarrioDbContext(BarrioDatabase.Options(cs)))
        {
            var n = new Neighborhood { Name = "El Milagro", Boundary = Square(-79.04, -8.06, 0.01) };
            db.Neighborhoods.Add(n);
            db.Streets.AddRange(
                new Street { Name = "Jr. Los Álamos", Class = "residential", Geometry = Line("-79.041 -8.059,-79.03 -8.059") },
                new Street { Name = null, Class = "footway", Geometry = Line("-79.035 -8.061,-79.035 -8.05") },
                new Street { Name = "Av. Lejana", Class = "primary", Geometry = Line("-79.2 -8.2,-79.19 -8.2") }); // far outside
            await db.SaveChangesAsync();
            var staffing = new StaffingReport(1, 2, [new ShiftStaffing("mañana", 7, 3)], [Note.Of("staffing.every_shift", ("sectors", 2))]);
            var plan = new SectorPlan
            {
                NeighborhoodId = n.Id, Name = "Plan de prueba", Author = "test", Sectors = 2, ParametersJson = "{}", DataVersion = "v",
                AssignmentJson = "{}", MaxDeviationPct = 2.5, MeanPolsbyPopper = 0.6, Contiguous = true,
                ReportJson = PlanningJson.Serialize(new SectorPlanReport([], 2, 40, 10, 2.54, 5, true, 0.61, 1, null, [], null, 0, staffing, [], [Note.Of("sectors.locked", ("count", 3))])),
            };
            db.SectorPlans.Add(plan);
            await db.SaveChangesAsync();
            planId = plan.Id;
            db.PlanSectors.AddRange(
                new PlanSector { PlanId = planId, Sector = 0, Geometry = Square(-79.04, -8.06, 0.005) },
                new PlanSector { PlanId = planId, Sector = 1, Geometry = Square(-79.035, -8.06, 0.005) });
            // Sector 0: an older bike route and a newer foot route of the morning (with its cycle), and an evening route.
            var withCycle = JsonNode.Parse(PlanningJson.Serialize(Report("S1", "mañana")))!.AsObject();
            withCycle["cycle"] = JsonNode.Parse(PlanningJson.Serialize(cycle));
            db.PlanRoutes.Add(Route(planId, 0, "mañana", "bike", PlanningJson.Serialize(Report("S1", "mañana")), "<gpx>older</gpx>"u8.ToArray()));
            await db.SaveChangesAsync();
            db.PlanRoutes.Add(Route(planId, 0, "mañana", "foot", withCycle.ToJsonString(), newest));
            db.PlanRoutes.Add(Route(planId, 0, "noche", "foot", PlanningJson.Serialize(Report("S1", "noche")), "<gpx>night</gpx>"u8.ToArray()));
            await db.SaveChangesAsync();
        }

        await using var read = new BarrioDbContext(BarrioDatabase.Options(cs));
        var input = await new FieldKitSource(read).LoadAsync(planId, "mañana", default);

        Assert.NotNull(input);
        Assert.Equal("El Milagro", input.Neighborhood);
        Assert.Equal(["Jr. Los Álamos", null], input.Streets.Select(s => s.Name).OrderBy(x => x is null));
        Assert.Equal([0, 1], input.Sectors.Select(s => s.Sector));
        var route = Assert.IsType<Planning.FieldKits.FieldKitRoute>(input.Sectors[0].Route);
        Assert.Equal(newest, route.Gpx);
        Assert.Equal("S1", route.Report.Sector);
        Assert.Null(input.Sectors[1].Route);
        var kept = Assert.Single(input.Cycles);
        Assert.Equal(cycle.Calendar, kept.Calendar);
        Assert.Equal(13.8, kept.ReachableKm);
        Assert.Equal([new ShiftStaffing("mañana", 7, 3)], input.Report.Staffing!.PerShift);

        // The evening has its own route and no cycle; an unknown plan is null.
        var night = await new FieldKitSource(read).LoadAsync(planId, "noche", default);
        Assert.Equal("<gpx>night</gpx>"u8.ToArray(), night!.Sectors[0].Route!.Gpx);
        Assert.Empty(night.Cycles);
        Assert.Null(await new FieldKitSource(read).LoadAsync(planId + 100, "mañana", default));
    }
}
