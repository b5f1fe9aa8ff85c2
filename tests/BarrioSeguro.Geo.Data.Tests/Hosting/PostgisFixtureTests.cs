using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Hosting;

[Collection(PostgisCollection.Name)]
public sealed class PostgisFixtureTests(PostgisFixture fixture)
{
    [SkippableFact]
    public async Task PostGIS_answers_postgis_full_version()
    {
        var connectionString = await fixture.CreateDatabaseAsync("fixture_version");

        var version = await ScalarAsync<string>(connectionString, "SELECT postgis_full_version()");

        Assert.Contains("POSTGIS=", version, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Unit_square_has_area_one()
    {
        var connectionString = await fixture.CreateDatabaseAsync("fixture_area");

        var area = await ScalarAsync<double>(connectionString, "SELECT ST_Area(ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 1,0 0))'))");

        Assert.Equal(1.0, area);
    }

    [SkippableFact]
    public async Task PgRouting_is_installed_in_fresh_databases()
    {
        var connectionString = await fixture.CreateDatabaseAsync("fixture_routing");
        Skip.IfNot(fixture.HasPgRouting, "The BARRIO_TEST_DB server has no pgRouting.");

        var version = await ScalarAsync<string>(connectionString, "SELECT pgr_version()");

        Assert.False(string.IsNullOrWhiteSpace(version));
    }

    [SkippableFact]
    public async Task Fresh_databases_do_not_share_data()
    {
        var first = await fixture.CreateDatabaseAsync("fixture_isolation");
        var second = await fixture.CreateDatabaseAsync("fixture_isolation");
        await ScalarAsync<int>(first, "CREATE TABLE patrol_zone (id int); SELECT 1");

        var inSecond = await ScalarAsync<long>(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'patrol_zone'");

        Assert.NotEqual(first, second);
        Assert.Equal(0, inSecond);
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
