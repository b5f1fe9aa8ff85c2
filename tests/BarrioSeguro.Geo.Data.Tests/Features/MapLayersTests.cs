using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Import;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Features;

[Collection(PostgisCollection.Name)]
public class MapLayersTests(PostgisFixture postgis)
{
    [SkippableFact]
    public async Task Reads_a_district_by_ubigeo_and_the_streets_and_incidents_of_an_area()
    {
        var cs = await postgis.CreateDatabaseAsync("layers");
        await BarrioDatabase.MigrateAsync(cs);
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var importer = new CollectionImporter(db);
        await importer.ImportAsync("districts",
            [TestGeometry.Feature("MULTIPOLYGON(((-79.2 -8.1,-79.0 -8.1,-79.0 -7.9,-79.2 -7.9,-79.2 -8.1)))", ("ubigeo", "130104"), ("name", "huanchaco"))],
            "d.geojson", "d");
        // Three streets 0.01° apart going east, and an incident on each.
        await importer.ImportAsync("streets", Enumerable.Range(0, 3).Select(i => TestGeometry.Feature(
            FormattableString.Invariant($"LINESTRING({-79.1 + i * 0.01} -8.03,{-79.1 + i * 0.01 + 0.005} -8.03)"),
            ("osm_way_id", i + 1), ("highway", "residential"))).ToList(), "s.geojson", "s");
        await importer.ImportAsync("incidents", Enumerable.Range(0, 3).Select(i => TestGeometry.Feature(
            FormattableString.Invariant($"POINT({-79.1 + i * 0.01 + 0.001} -8.03)"), ("category", "robo"), ("occurredAt", "2026-01-05T22:00:00-05:00"))).ToList(), "i.geojson", "i");
        var layers = new MapLayers(db);

        Assert.Equal("Huanchaco", (await layers.DistrictAsync("130104", default))!.Name);
        Assert.Null(await layers.DistrictAsync("999999", default));
        // A box over the first two streets only.
        var box = new Envelope(-79.101, -79.089, -8.031, -8.029);
        var streets = await layers.StreetLinesAsync(box, default);
        Assert.Equal([-79.1, -79.09], streets.Select(s => Math.Round(s.Coordinates[0].X, 6)));
        var incidents = await layers.IncidentLocationsAsync(TestGeometry.Wkt("POLYGON((-79.101 -8.031,-79.085 -8.031,-79.085 -8.029,-79.101 -8.029,-79.101 -8.031))"), default);
        Assert.Equal(2, incidents.Count);
    }
}
