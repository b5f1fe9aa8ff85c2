using BarrioSeguro.Geo.Data.Audit;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Audit;

/// <summary>The audit trail is appended to and read back; PostgreSQL refuses to change or remove its rows.</summary>
[Collection(PostgisCollection.Name)]
public class AuditStoreTests(PostgisFixture postgis)
{
    private static AuditEntry Entry(string user, string action, string? id, int status, DateTimeOffset at) => new()
    {
        At = at, UserName = user, Role = "planner", Action = action, ResourceKind = "neighborhoods", ResourceId = id,
        Status = status, ClientAddress = "127.0.0.1", RequestId = "r-" + id, Detail = AuditStore.Detail(("fromVersion", 1), ("toVersion", 2)),
    };

    [SkippableFact]
    public async Task Entries_are_read_back_newest_first_and_filtered()
    {
        var cs = await postgis.CreateDatabaseAsync("audit");
        await BarrioDatabase.MigrateAsync(cs);
        var t0 = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.FromHours(-5));
        await using (var db = new BarrioDbContext(BarrioDatabase.Options(cs)))
        {
            var store = new AuditStore(db);
            await store.AppendAsync(Entry("ana", "PUT /api/neighborhoods/{id}", "7", 200, t0));
            await store.AppendAsync(Entry("luis", "PUT /api/neighborhoods/{id}", "7", 409, t0.AddMinutes(1)));
            await store.AppendAsync(Entry("ana", "POST /api/neighborhoods/", "8", 201, t0.AddMinutes(2)));
        }
        await using var read = new BarrioDbContext(BarrioDatabase.Options(cs));
        var store2 = new AuditStore(read);

        var all = await store2.QueryAsync(new AuditQuery());
        Assert.Equal(["8", "7", "7"], all.Select(e => e.ResourceId));
        Assert.Equal(t0.UtcDateTime, all[2].At.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, all[2].At.Offset);
        Assert.Equal(2, all[2].Detail!.RootElement.GetProperty("toVersion").GetInt32());

        Assert.Equal([201, 200], (await store2.QueryAsync(new AuditQuery(User: "ana"))).Select(e => e.Status));
        Assert.Single(await store2.QueryAsync(new AuditQuery(Action: "POST /api/neighborhoods/")));
        Assert.Equal(2, (await store2.QueryAsync(new AuditQuery(ResourceKind: "neighborhoods", ResourceId: "7"))).Count);
        Assert.Equal(["luis"], (await store2.QueryAsync(new AuditQuery(From: t0.AddSeconds(30), To: t0.AddSeconds(90)))).Select(e => e.UserName));
        Assert.Equal(["7"], (await store2.QueryAsync(new AuditQuery(Limit: 1, Offset: 1))).Select(e => e.ResourceId));
    }

    [SkippableTheory]
    [InlineData("UPDATE audit_entries SET user_name = 'someone else'")]
    [InlineData("DELETE FROM audit_entries")]
    [InlineData("TRUNCATE audit_entries")]
    public async Task PostgreSQL_refuses_to_change_or_remove_an_entry(string sql)
    {
        var cs = await postgis.CreateDatabaseAsync("auditro");
        await BarrioDatabase.MigrateAsync(cs);
        await using (var db = new BarrioDbContext(BarrioDatabase.Options(cs)))
            await new AuditStore(db).AppendAsync(Entry("ana", "PUT /api/neighborhoods/{id}", "7", 200, DateTimeOffset.UtcNow));

        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        var refused = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync());
        Assert.Contains("append-only", refused.MessageText);
        await using var count = new NpgsqlCommand("SELECT user_name FROM audit_entries", connection);
        Assert.Equal("ana", await count.ExecuteScalarAsync());
    }
}
