using BarrioSeguro.Geo.Data.Import;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Import;

[Collection(PostgisCollection.Name)]
public class CollectionImporterTests(PostgisFixture postgis)
{
    private async Task<BarrioDbContext> NewDatabase()
    {
        var cs = await postgis.CreateDatabaseAsync("import");
        await BarrioDatabase.MigrateAsync(cs);
        return new BarrioDbContext(BarrioDatabase.Options(cs));
    }

    private static readonly IFeature[] Streets =
    [
        TestGeometry.Feature("LINESTRING(-79.0665 -8.0181,-79.0634 -8.0170)", ("osm_way_id", "94600261"), ("name", "Jirón José Olaya"), ("highway", "residential")),
        TestGeometry.Feature("LINESTRING(-79.0700 -8.0200,-79.0690 -8.0210)", ("osm_way_id", "1"), ("highway", "primary"), ("oneway", "yes")),
        TestGeometry.Feature("LINESTRING(-79.0700 -8.0300,-79.0690 -8.0310)", ("osm_way_id", "2"), ("highway", "tertiary"), ("oneway", "-1")),
    ];

    [SkippableFact]
    public async Task Streets_are_loaded_with_their_OSM_attributes()
    {
        await using var db = await NewDatabase();
        var result = await new CollectionImporter(db).ImportAsync("streets", Streets, "streets.geojson", "sha-1");

        Assert.Equal(3, result.Inserted);
        var olaya = await db.Streets.SingleAsync(s => s.OsmId == 94600261);
        Assert.Equal("Jirón José Olaya", olaya.Name);
        Assert.Equal("residential", olaya.Class);
        Assert.False(olaya.Oneway);
        Assert.True((await db.Streets.SingleAsync(s => s.OsmId == 1)).Oneway);
        // oneway=-1 is one-way against the drawing direction: stored reversed, so the line runs the legal way.
        var reversed = await db.Streets.SingleAsync(s => s.OsmId == 2);
        Assert.True(reversed.Oneway);
        Assert.Equal(-79.0690, reversed.Geometry.Coordinates[0].X, 9);
        Assert.Equal(1, await db.Datasets.CountAsync());
    }

    [SkippableFact]
    public async Task The_same_file_twice_adds_nothing()
    {
        await using var db = await NewDatabase();
        var importer = new CollectionImporter(db);
        await importer.ImportAsync("streets", Streets, "streets.geojson", "sha-1");
        var again = await importer.ImportAsync("streets", Streets, "streets.geojson", "sha-1");

        Assert.True(again.AlreadyLoaded);
        Assert.Equal(0, again.Inserted);
        Assert.Equal(3, await db.Streets.CountAsync());
    }

    [SkippableFact]
    public async Task One_bad_feature_refuses_the_whole_import_and_names_it()
    {
        await using var db = await NewDatabase();
        var features = new[]
        {
            TestGeometry.Feature("POLYGON((-79.07 -8.03,-79.06 -8.03,-79.06 -8.02,-79.07 -8.02,-79.07 -8.03))", ("name", "Good")),
            TestGeometry.Feature("POLYGON((-79.07 -8.03,-79.06 -8.02,-79.06 -8.03,-79.07 -8.02,-79.07 -8.03))", ("name", "Bowtie")),
        };

        var ex = await Assert.ThrowsAsync<ImportException>(() => new CollectionImporter(db).ImportAsync("neighborhoods", features, "n.geojson", "sha-2"));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(1, problem.FeatureIndex);
        Assert.Equal("self-intersection", problem.Problem.Kind);
        Assert.Equal(-79.065, problem.Problem.Location!.X, 6);
        Assert.Equal(0, await db.Neighborhoods.CountAsync());
        Assert.Equal(0, await db.Datasets.CountAsync());
    }

    [SkippableTheory]
    [InlineData("streets", "POINT(-79.06 -8.03)", "must be a line")]
    [InlineData("incidents", "POINT(-79.06 -8.03)", "occurredAt")]
    [InlineData("stations", "POINT(-8.03 -79.06)", "swapped")]
    [InlineData("parks", "POINT(-79.06 -8.03)", "Unknown collection")]
    public async Task Unfit_input_gets_a_clear_reason(string collection, string wkt, string reason)
    {
        await using var db = await NewDatabase();
        var ex = await Assert.ThrowsAsync<ImportException>(() =>
            new CollectionImporter(db).ImportAsync(collection, [TestGeometry.Feature(wkt, ("name", "x"))], "f.geojson", "sha-3"));
        Assert.Contains(reason, ex.Message);
    }

    [SkippableFact]
    public async Task An_empty_file_is_refused()
    {
        await using var db = await NewDatabase();
        var ex = await Assert.ThrowsAsync<ImportException>(() => new CollectionImporter(db).ImportAsync("streets", [], "empty.geojson", "sha-4"));
        Assert.Contains("no features", ex.Message);
    }

    [SkippableFact]
    public async Task A_neighbourhood_name_that_exists_is_refused()
    {
        await using var db = await NewDatabase();
        var importer = new CollectionImporter(db);
        var square = "POLYGON((-79.07 -8.03,-79.06 -8.03,-79.06 -8.02,-79.07 -8.02,-79.07 -8.03))";
        await importer.ImportAsync("neighborhoods", [TestGeometry.Feature(square, ("name", "El Milagro"))], "a.geojson", "sha-a");
        var ex = await Assert.ThrowsAsync<ImportException>(() =>
            importer.ImportAsync("neighborhoods", [TestGeometry.Feature(square, ("name", "El Milagro"))], "b.geojson", "sha-b"));
        Assert.Contains("exists already", ex.Message);
        Assert.Equal(1, await db.Neighborhoods.CountAsync());
        Assert.Equal(1, await db.NeighborhoodRevisions.CountAsync());
    }

    [SkippableFact]
    public async Task A_neighbourhood_of_a_district_not_in_the_database_is_refused_with_a_reason()
    {
        await using var db = await NewDatabase();
        var square = "POLYGON((-79.07 -8.03,-79.06 -8.03,-79.06 -8.02,-79.07 -8.02,-79.07 -8.03))";
        var ex = await Assert.ThrowsAsync<ImportException>(() => new CollectionImporter(db).ImportAsync("neighborhoods",
            [TestGeometry.Feature(square, ("name", "El Milagro"), ("districtUbigeo", "130104"))], "b.geojson", "sha-u"));
        Assert.Contains("District ubigeo '130104' is not in the database", ex.Message);
        Assert.Equal("unknown-district", Assert.Single(ex.Problems).Problem.Kind);
        Assert.Equal(0, await db.Neighborhoods.CountAsync());
    }

    [SkippableFact]
    public async Task Attributes_no_column_takes_and_columns_no_attribute_fills_are_named()
    {
        await using var db = await NewDatabase();
        var result = await new CollectionImporter(db).ImportAsync("stations",
            [TestGeometry.Feature("POINT(-79.06 -8.03)", ("NOMBRE_COM", "Comisaría El Milagro"), ("amenity", "police"))], "c.shp", "sha-s");

        Assert.Equal(1, result.Inserted);
        Assert.Equal(
            ["2 attributes not imported, no stations column takes them: NOMBRE_COM, amenity (stations reads osmId (osm_id), name (nombre), operator)",
             "no attribute for osmId, name, operator: left empty in every row"],
            result.Notes.Select(n => n.English));
        Assert.Equal(["import.attributes_unmapped", "import.columns_empty"], result.Notes.Select(n => n.Code));
        // The same notes in Spanish, from the one catalogue.
        Assert.StartsWith("2 atributos no importados, ninguna columna de stations los toma: NOMBRE_COM, amenity", result.Notes[0].Text("es"));
    }

    [SkippableFact]
    public async Task Street_features_that_are_not_lines_are_left_out_and_named_or_refused()
    {
        await using var db = await NewDatabase();
        var features = new[]
        {
            Streets[0],
            TestGeometry.Feature("MULTIPOINT((-79.06 -8.03),(-79.05 -8.03))", ("highway", "residential")),
            TestGeometry.Feature("GEOMETRYCOLLECTION(POINT(-79.06 -8.03),LINESTRING(-79.06 -8.03,-79.05 -8.03))", ("highway", "residential")),
        };
        var refused = await Assert.ThrowsAsync<ImportException>(() =>
            new CollectionImporter(db).ImportAsync("streets", features, "s.geojson", "sha-r", new ImportOptions(Core.Spatial.NonLines.Refuse)));
        Assert.Contains("feature #2 is a MultiPoint, not a line (2 such features; non-line features are refused)", refused.Message);
        Assert.Equal(0, await db.Streets.CountAsync());

        var result = await new CollectionImporter(db).ImportAsync("streets", features, "s.geojson", "sha-r");

        Assert.Equal(2, result.Inserted);
        Assert.Equal("left out 1 feature that is not a line: #2 MultiPoint", result.Notes[0].English);
        Assert.Equal("kept only the lines of 1 GeometryCollection: #3", result.Notes[1].English);
    }

    [SkippableFact]
    public async Task Rows_copied_in_bulk_are_the_file_in_order_and_kept_with_their_import()
    {
        await using var db = await NewDatabase();
        var features = Enumerable.Range(0, 500).Select(i => TestGeometry.Feature(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"LINESTRING(-79.06 {-8.0 - i * 0.0001},-79.05 {-8.0 - i * 0.0001})"),
            ("osm_way_id", (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("highway", i % 2 == 0 ? "primary" : "residential"),
            ("name", i % 3 == 0 ? null : $"Calle {i}"), ("maxspeed", i % 5 == 0 ? "30 mph" : null), ("bridge", i == 7 ? "yes" : null))).ToList();

        var result = await new CollectionImporter(db).ImportAsync("streets", features, "many.geojson", "sha-many");

        Assert.Equal(500, result.Inserted);
        // File order is id order, and every column came through the COPY.
        var rows = await db.Streets.OrderBy(s => s.Id).ToListAsync();
        Assert.Equal(Enumerable.Range(1000, 500).Select(i => (long?)i), rows.Select(r => r.OsmId));
        Assert.Null(rows[0].Name);
        Assert.Equal("Calle 1", rows[1].Name);
        Assert.Equal(48, rows[0].MaxSpeedKmh); // 30 mph
        Assert.Null(rows[1].MaxSpeedKmh);
        Assert.True(rows[7].Bridge);
        Assert.Equal(1, rows[7].Layer);
        Assert.Equal(4326, rows[3].Geometry.SRID);
        Assert.All(rows, r => Assert.Equal(result.DatasetId, db.Entry(r).Property<int?>(BarrioDbContext.DatasetColumn).CurrentValue));
        // PostGIS as the oracle: the stored line is the file's.
        await db.Database.OpenConnectionAsync();
        await using (var query = db.Database.GetDbConnection().CreateCommand())
        {
            query.CommandText = "SELECT ST_Equals(geometry, ST_Multi(ST_GeomFromText('LINESTRING(-79.06 -8.0003,-79.05 -8.0003)', 4326))) FROM streets WHERE osm_id = 1003";
            Assert.Equal(true, await query.ExecuteScalarAsync());
        }
        await db.Database.CloseConnectionAsync();
        // Kept with the import: one feature per row, ordinals in file order, the attributes that read back into the row.
        var kept = await db.ImportFeatures.Where(f => f.DatasetId == result.DatasetId).OrderBy(f => f.Ordinal).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 500), kept.Select(f => f.Ordinal));
        Assert.Equal(rows.Select(r => r.OsmId), kept.Select(f => f.OsmId));
        var restored = (Core.Domain.Street)CollectionImporter.Restored("streets", kept[7]);
        Assert.Equal((rows[7].Class, rows[7].Bridge, rows[7].Layer, rows[7].MaxSpeedKmh), (restored.Class, restored.Bridge, restored.Layer, restored.MaxSpeedKmh));
    }

    [SkippableFact]
    public async Task Stations_and_incidents_copied_in_bulk_start_at_version_1()
    {
        await using var db = await NewDatabase();
        var importer = new CollectionImporter(db);
        await importer.ImportAsync("stations", [TestGeometry.Feature("POINT(-79.06 -8.03)", ("name", "Comisaría"), ("operator", "PNP"), ("osm_id", "77"))], "s.geojson", "sha-st");
        await importer.ImportAsync("incidents", [TestGeometry.Feature("POINT(-79.05 -8.02)", ("occurredAt", "2026-03-01T22:15:00-05:00"), ("category", "robo"))], "i.geojson", "sha-in");

        var station = await db.Stations.SingleAsync();
        Assert.Equal((77L, "Comisaría", "PNP", 1), (station.OsmId!.Value, station.Name, station.Operator, station.Version));
        var incident = await db.Incidents.SingleAsync();
        Assert.Equal((new DateTimeOffset(2026, 3, 2, 3, 15, 0, TimeSpan.Zero), "robo", 1, false),
            (incident.OccurredAt, incident.Category, incident.Version, incident.IsSynthetic));
        Assert.Equal(-79.05, incident.Location.X, 9);
    }

    [SkippableFact]
    public async Task A_row_the_table_refuses_leaves_nothing_of_the_import()
    {
        await using var db = await NewDatabase();
        // A point in another CRS than the column's: PostgreSQL refuses it when the staged rows move into place.
        var point = new NetTopologySuite.Geometries.GeometryFactory(new NetTopologySuite.Geometries.PrecisionModel(), 3857)
            .CreatePoint(new NetTopologySuite.Geometries.Coordinate(-79.06, -8.03));
        IFeature[] stations = [TestGeometry.Feature("POINT(-79.05 -8.02)", ("name", "A")), new Feature(point, new AttributesTable { { "name", "B" } })];

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => new CollectionImporter(db).ImportAsync("stations", stations, "s.geojson", "sha-bad"));
        Assert.IsNotType<ImportException>(refused); // refused by the database, after the dataset row was written

        db.ChangeTracker.Clear();
        Assert.Equal(0, await db.Stations.CountAsync());
        Assert.Equal(0, await db.Datasets.CountAsync());
        Assert.Equal(0, await db.ImportFeatures.CountAsync());
    }
}
