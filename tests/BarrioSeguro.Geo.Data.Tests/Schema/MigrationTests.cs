using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Schema;

[Collection(PostgisCollection.Name)]
public class MigrationTests(PostgisFixture postgis)
{
    [SkippableFact]
    public async Task Migrations_create_typed_4326_geometry_columns_with_gist_indexes()
    {
        var cs = await postgis.CreateDatabaseAsync("migrations");
        await BarrioDatabase.MigrateAsync(cs);
        await BarrioDatabase.MigrateAsync(cs); // a second run has nothing to do and must not fail

        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        var columns = new Dictionary<string, (string Type, int Srid)>();
        await using (var cmd = new NpgsqlCommand("SELECT f_table_name, type, srid FROM geometry_columns", connection))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) columns[reader.GetString(0)] = (reader.GetString(1), reader.GetInt32(2));

        Assert.Equal(("MULTIPOLYGON", 4326), columns["districts"]);
        Assert.Equal(("MULTIPOLYGON", 4326), columns["neighborhoods"]);
        Assert.Equal(("POINT", 4326), columns["stations"]);
        Assert.Equal(("MULTILINESTRING", 4326), columns["streets"]);
        Assert.Equal(("POINT", 4326), columns["incidents"]);

        await using var indexes = new NpgsqlCommand(
            "SELECT count(*) FROM pg_indexes WHERE indexdef ILIKE '%USING gist%' AND tablename IN ('districts','neighborhoods','stations','streets','incidents')",
            connection);
        Assert.Equal(5L, (long)(await indexes.ExecuteScalarAsync())!);
    }
}
