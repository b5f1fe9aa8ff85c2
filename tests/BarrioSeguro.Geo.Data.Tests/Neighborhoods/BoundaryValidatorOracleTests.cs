using BarrioSeguro.Geo.Core.Neighborhoods;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Neighborhoods;

/// <summary>What <see cref="BoundaryValidator"/> reports agrees with PostGIS.</summary>
[Collection(PostgisCollection.Name)]
public class BoundaryValidatorOracleTests(PostgisFixture postgis)
{
    private const string ElMilagro =
        "POLYGON((-79.0714 -8.0145,-79.07275 -8.018,-79.075 -8.025,-79.07625 -8.033,-79.0735 -8.03825,-79.0665 -8.0395,-79.062 -8.043,-79.058 -8.04425,-79.05275 -8.0425,-79.054 -8.036,-79.0555 -8.0305,-79.057 -8.026,-79.06 -8.0195,-79.062 -8.015,-79.06275 -8.0114,-79.06725 -8.0125,-79.0714 -8.0145))";

    [SkippableTheory]
    [InlineData("POLYGON((-79.06 -8.045,-79.04 -8.045,-79.04 -8.03,-79.06 -8.03,-79.06 -8.045))")]
    [InlineData("POLYGON((-79.08 -8.02,-79.065 -8.02,-79.07 -8.035,-79.08 -8.035,-79.08 -8.02))")]
    public async Task Overlap_area_agrees_with_the_geography_area_of_the_intersection(string neighbour)
    {
        await using var connection = new NpgsqlConnection(await postgis.CreateDatabaseAsync("boundary"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT ST_Area(ST_Intersection(ST_GeomFromText(@a, 4326), ST_GeomFromText(@b, 4326))::geography)", connection);
        cmd.Parameters.AddWithValue("a", ElMilagro);
        cmd.Parameters.AddWithValue("b", neighbour);
        var expected = (double)(await cmd.ExecuteScalarAsync())!;

        var problems = BoundaryValidator.Validate(TestGeometry.Wkt(ElMilagro),
            others: [new OtherBoundary("Vecino", TestGeometry.Wkt(neighbour))]).Problems;

        Assert.All(problems, p => Assert.Equal("overlap", p.Kind));
        var area = problems.Sum(p => p.AreaSquareMeters!.Value);
        Assert.InRange(area / expected - 1, -0.001, 0.001);
    }

    [SkippableTheory]
    [InlineData("POLYGON((-79.07 -8.03,-79.06 -8.02,-79.06 -8.03,-79.07 -8.02,-79.07 -8.03))")]
    [InlineData("POLYGON((-79.07 -8.03,-79.05 -8.01,-79.051 -8.03,-79.068 -8.012,-79.07 -8.03))")]
    public async Task The_crossing_of_a_bowtie_is_where_ST_IsValidDetail_puts_it(string bowtie)
    {
        await using var connection = new NpgsqlConnection(await postgis.CreateDatabaseAsync("boundary"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT (d).valid, ST_X((d).location), ST_Y((d).location) FROM (SELECT ST_IsValidDetail(ST_GeomFromText(@g, 4326)) AS d) s", connection);
        cmd.Parameters.AddWithValue("g", bowtie);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.False(reader.GetBoolean(0));
        var (x, y) = (reader.GetDouble(1), reader.GetDouble(2));

        var crossing = Assert.Single(BoundaryValidator.Validate(TestGeometry.Wkt(bowtie)).Problems);
        Assert.Equal("self-intersection", crossing.Kind);
        Assert.Equal(x, crossing.Location.Coordinate.X, 9);
        Assert.Equal(y, crossing.Location.Coordinate.Y, 9);
    }
}
