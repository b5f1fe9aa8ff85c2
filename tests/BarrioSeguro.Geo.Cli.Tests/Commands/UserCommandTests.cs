using BarrioSeguro.Geo.Data.Tests;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>barrio user against a real PostGIS database.</summary>
[Collection(PostgisCollection.Name)]
public class UserCommandTests(PostgisFixture postgis)
{
    private static CliRun WithStdin(string stdin, params string[] args)
    {
        var before = Console.In;
        Console.SetIn(new StringReader(stdin));
        try { return CliRun.Of(args); }
        finally { Console.SetIn(before); }
    }

    [SkippableFact]
    public async Task Users_are_added_listed_given_a_role_and_disabled()
    {
        var cs = await postgis.CreateDatabaseAsync("cliusers");
        var import = CliRun.Of("import", SharedGeodata.PathOf("admin/huanchaco_y_vecinos_inei2023.geojson"), "--db", cs);
        Assert.True(import.ExitCode == 0, import.Error);

        var add = WithStdin("a long password\n", "user", "add", "ana", "--role", "planner", "--district", "130104", "--password-stdin", "--db", cs);
        Assert.True(add.ExitCode == 0, add.Error);
        Assert.Contains("Added ana: planner of district 130104", add.Out);
        var chief = WithStdin("another password\n", "user", "add", "beto", "--role", "chief", "--password-stdin", "--db", cs);
        Assert.True(chief.ExitCode == 0, chief.Error);

        var role = CliRun.Of("user", "role", "ana", "chief", "--district", "130104,130101", "--as", "jefe.sig", "--db", cs);
        Assert.True(role.ExitCode == 0, role.Error);
        var disable = CliRun.Of("user", "disable", "beto", "--db", cs);
        Assert.True(disable.ExitCode == 0, disable.Error);

        var list = CliRun.Of("user", "list", "--db", cs);
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains("chief of district 130101, 130104", list.Out);
        Assert.Contains("chief of all of Peru, disabled", list.Out);
        Assert.Contains("2 user(s)", list.Out);
        Assert.DoesNotContain("a long password", list.Out);

        // Every change is in the audit trail, as the service's are; a listing is not a change.
        Assert.Equal(
            [("cli user add", "ana", 200, Environment.UserName), ("cli user add", "beto", 200, Environment.UserName),
             ("cli user role", "ana", 200, "jefe.sig"), ("cli user disable", "beto", 200, Environment.UserName)],
            await AuditAsync(cs));
    }

    private static async Task<List<(string Action, string Id, int Status, string User)>> AuditAsync(string cs)
    {
        await using var connection = new Npgsql.NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT action, resource_id, status, user_name FROM audit_entries WHERE action LIKE 'cli user %' ORDER BY id", connection);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, string, int, string)>();
        while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3)));
        return rows;
    }

    [SkippableFact]
    public async Task Bad_input_is_one_line_on_stderr_and_a_non_zero_exit()
    {
        var cs = await postgis.CreateDatabaseAsync("cliusers");
        CliRun.Of("import", SharedGeodata.PathOf("admin/huanchaco_y_vecinos_inei2023.geojson"), "--db", cs);
        Assert.Equal(0, WithStdin("a long password\n", "user", "add", "ana", "--role", "viewer", "--password-stdin", "--db", cs).ExitCode);

        var taken = WithStdin("a long password\n", "user", "add", "ana", "--role", "viewer", "--password-stdin", "--db", cs);
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("exists already", taken.ErrorLine);
        Assert.Contains(("cli user add", "ana", 422, Environment.UserName), await AuditAsync(cs)); // refused, and audited
        var shortPassword = WithStdin("short\n", "user", "add", "eva", "--role", "viewer", "--password-stdin", "--db", cs);
        Assert.Equal(1, shortPassword.ExitCode);
        Assert.Contains("at least 10 characters", shortPassword.ErrorLine);
        var district = WithStdin("a long password\n", "user", "add", "eva", "--role", "viewer", "--district", "999999", "--password-stdin", "--db", cs);
        Assert.Equal(1, district.ExitCode);
        Assert.Contains("999999", district.ErrorLine);
        var noStdin = CliRun.Of("user", "add", "eva", "--role", "viewer", "--db", cs);
        Assert.Equal(2, noStdin.ExitCode);
        Assert.Contains("--password-stdin", noStdin.ErrorLine);
        var badRole = CliRun.Of("user", "role", "ana", "root", "--db", cs);
        Assert.Equal(2, badRole.ExitCode);
        Assert.Contains("unknown role 'root'", badRole.ErrorLine);
        var nobody = CliRun.Of("user", "disable", "nobody", "--db", cs);
        Assert.Equal(1, nobody.ExitCode);
        Assert.Contains("no user 'nobody'", nobody.ErrorLine);
    }
}
