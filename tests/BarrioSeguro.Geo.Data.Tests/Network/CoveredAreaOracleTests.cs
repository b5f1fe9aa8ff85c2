using BarrioSeguro.Geo.Bench.Synthetic;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace BarrioSeguro.Geo.Data.Tests.Network;

/// <summary>
/// Our covered area (tiled buffers, one union) against PostGIS's one <c>ST_Buffer(pieces, 30 m, 'endcap=flat
/// quad_segs=4')</c> of the same covered pieces in the same UTM zone: areas within 0.5 %, symmetric difference under
/// 0.5 % of the area, valid for both NTS and PostGIS.
/// </summary>
[Collection(PostgisCollection.Name)]
public class CoveredAreaOracleTests(PostgisFixture postgis, ITestOutputHelper output)
{
    private const double Tolerance = 0.005;

    private static string Geodata(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, "repository root (BarrioSeguro.Geo.sln) not found");
        return Path.Combine(dir!.FullName, "geodata", relative);
    }

    [SkippableTheory]
    [InlineData(TravelMode.Foot, 3, 5)]
    [InlineData(TravelMode.Foot, 5, 10)]
    [InlineData(TravelMode.Car, 4, 2)]
    public async Task The_covered_area_of_El_Milagro_is_PostGIS_s_buffer_of_the_covered_pieces(TravelMode mode, int units, double minutes)
    {
        var graph = StreetGraph.Build(StreetLines.Network(VectorFile.Read(Geodata("osm/el_milagro_streets_wgs84.geojson"))), mode);
        var nodes = graph.Edges.Where(e => e.Component == 0).Select(e => e.From).Distinct().Order().ToList();
        var at = Enumerable.Range(0, units).Select(i => graph.NodeLonLat(nodes[i * nodes.Count / units])).ToList();
        using var result = Coverage.Compute(graph, at, minutes);
        await CompareAsync(graph, result, $"El Milagro {mode} {units} units {minutes} min");
    }

    [SkippableFact]
    public async Task The_covered_area_of_a_synthetic_grid_is_PostGIS_s_buffer_of_the_covered_pieces()
    {
        // 60 x 60 intersections 80 m apart (about 4.7 km a side: many tiles), 8 units by car for 3 minutes.
        var graph = StreetGraph.Build(SyntheticStreets.Grid(60, 60), TravelMode.Car);
        using var result = Coverage.Compute(graph, SyntheticStreets.GridUnits(60, 60, 8), 3);
        await CompareAsync(graph, result, "grid 60x60 car 8 units 3 min");
    }

    [Fact]
    public void The_covered_area_is_empty_and_valid_when_nothing_is_covered()
    {
        // One one-way street by car, the unit at its end: it can drive nowhere.
        var line = new LineString([new Coordinate(-79.060, -8.020), new Coordinate(-79.059, -8.020)]) { SRID = 4326 };
        var graph = StreetGraph.Build([new NetworkStreet(line, "residential", 0, Oneway: true)], TravelMode.Car);
        using var result = Coverage.Compute(graph, [new Point(-79.059, -8.020) { SRID = 4326 }], 5);
        Assert.True(result.CoveredPieces().IsEmpty);
        var area = result.CoveredArea();
        Assert.True(area.IsEmpty);
        Assert.True(area.IsValid);
        Assert.Equal(0, area.Area);
    }

    private async Task CompareAsync(StreetGraph graph, CoverageResult result, string what)
    {
        var pieces = result.CoveredPieces();
        Assert.False(pieces.IsEmpty, what);
        var ours = result.CoveredArea();
        Assert.Equal(4326, ours.SRID);
        Assert.True(ours.IsValid, $"{what}: our covered area is not valid");

        await using var connection = new NpgsqlConnection(await postgis.CreateDatabaseAsync("covered_area"));
        await connection.OpenAsync();
        const string sql = """
            WITH theirs AS (SELECT ST_Buffer(ST_Transform(ST_GeomFromWKB($1, 4326), $3), $4, 'endcap=flat quad_segs=4') AS g),
                 ours AS (SELECT ST_Transform(ST_GeomFromWKB($2, 4326), $3) AS g)
            SELECT ST_Area(theirs.g), ST_Area(ours.g), ST_Area(ST_SymDifference(ours.g, theirs.g)), ST_IsValid(ours.g), ST_IsValid(theirs.g)
            FROM theirs, ours
            """;
        var wkb = new WKBWriter();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = wkb.Write(pieces) });
        command.Parameters.Add(new NpgsqlParameter { Value = wkb.Write(ours) });
        command.Parameters.Add(new NpgsqlParameter { Value = graph.UtmEpsg });
        command.Parameters.Add(new NpgsqlParameter { Value = 30 * graph.ScaleFactor });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        double theirArea = reader.GetDouble(0), ourArea = reader.GetDouble(1), difference = reader.GetDouble(2);
        output.WriteLine($"{what}: {pieces.NumGeometries} pieces, {ours.NumGeometries} polygons; PostGIS {theirArea / 1e6:F4} km², ours {ourArea / 1e6:F4} km², symmetric difference {difference:F1} m² ({100 * difference / theirArea:F4} %)");
        Assert.True(reader.GetBoolean(3), $"{what}: PostGIS finds our covered area not valid");
        Assert.True(reader.GetBoolean(4), $"{what}: PostGIS's buffer not valid");
        Assert.True(theirArea > 0, what);
        Assert.True(Math.Abs(ourArea - theirArea) <= Tolerance * theirArea, $"{what}: ours {ourArea} m², PostGIS {theirArea} m²");
        Assert.True(difference <= Tolerance * theirArea, $"{what}: symmetric difference {difference} m² of {theirArea} m²");
    }
}
