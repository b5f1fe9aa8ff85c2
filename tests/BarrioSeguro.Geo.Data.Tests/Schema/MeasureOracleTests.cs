using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Schema;

/// <summary>Areas and lengths measured in UTM agree with PostGIS geography (the ellipsoid) within 0.1 %.</summary>
[Collection(PostgisCollection.Name)]
public class MeasureOracleTests(PostgisFixture postgis)
{
    public static TheoryData<string> Polygons => new()
    {
        // El Milagro's illustrative boundary (zone 17S, 2° east of the central meridian)
        "POLYGON((-79.0714 -8.0145,-79.07275 -8.018,-79.075 -8.025,-79.07625 -8.033,-79.0735 -8.03825,-79.0665 -8.0395,-79.062 -8.043,-79.058 -8.04425,-79.05275 -8.0425,-79.054 -8.036,-79.0555 -8.0305,-79.057 -8.026,-79.06 -8.0195,-79.062 -8.015,-79.06275 -8.0114,-79.06725 -8.0125,-79.0714 -8.0145))",
        "POLYGON((-77.05 -12.07,-77.00 -12.07,-77.00 -12.03,-77.05 -12.03,-77.05 -12.07))", // Lima, zone 18S
        "POLYGON((-72.01 -13.55,-71.95 -13.55,-71.95 -13.50,-72.01 -13.50,-72.01 -13.55))", // Cusco, zone 19S
        "POLYGON((-78.05 -6.05,-78.0005 -6.05,-78.0005 -6.0,-78.05 -6.0,-78.05 -6.05))", // at the eastern edge of zone 17S
        "POLYGON((-80.4 -5.3,-80.2 -5.3,-80.2 -5.1,-80.4 -5.1,-80.4 -5.3))", // a district-sized square, Piura
    };

    [SkippableTheory]
    [MemberData(nameof(Polygons))]
    public async Task Area_and_perimeter_agree_with_PostGIS_geography(string wkt)
    {
        var polygon = TestGeometry.Wkt(wkt);
        await using var connection = new NpgsqlConnection(await postgis.CreateDatabaseAsync("measure"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT ST_Area(ST_GeomFromText(@wkt, 4326)::geography), ST_Perimeter(ST_GeomFromText(@wkt, 4326)::geography)", connection);
        cmd.Parameters.AddWithValue("wkt", wkt);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (area, perimeter) = (reader.GetDouble(0), reader.GetDouble(1));

        Assert.InRange(Measure.AreaSquareMeters(polygon) / area - 1, -0.001, 0.001);
        Assert.InRange(Measure.LengthMeters(polygon) / perimeter - 1, -0.001, 0.001);
    }

    [SkippableFact]
    public async Task Street_lengths_agree_with_PostGIS_geography()
    {
        var line = (LineString)TestGeometry.Wkt("LINESTRING(-79.0665346 -8.0181668,-79.0653932 -8.0177565,-79.0648738 -8.017557,-79.0644457 -8.0174019,-79.0634284 -8.0170332)");
        await using var connection = new NpgsqlConnection(await postgis.CreateDatabaseAsync("measure"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT ST_Length(ST_GeomFromText(@wkt, 4326)::geography)", connection);
        cmd.Parameters.AddWithValue("wkt", line.AsText());
        var expected = (double)(await cmd.ExecuteScalarAsync())!;
        Assert.InRange(Measure.LengthMeters(line) / expected - 1, -0.001, 0.001);
    }
}
