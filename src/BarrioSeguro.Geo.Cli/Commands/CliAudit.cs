using BarrioSeguro.Geo.Data.Audit;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// The audit rows of the CLI's database writes, through the same <see cref="AuditStore"/> as the service: the user is
/// --as NAME, else the OS user; the action <c>cli COMMAND</c>; status 200 when written, 422 when refused.
/// </summary>
public static class CliAudit
{
    public const string AsOption = "--as";

    public const string Help = """
          --as NAME        the user the audit trail names for this change. Default: the OS user
        """;

    public static string User(CommandArgs parsed) =>
        parsed.Option(AsOption) is { Length: > 0 } name ? name.Trim() : Environment.UserName;

    /// <summary>Appends one row in its own DbContext (the command's may hold a failed change).</summary>
    public static async Task AppendAsync(CliDatabase database, string user, string command, string? kind, string? id, int status,
        params (string Name, object? Value)[] detail)
    {
        await using var db = database.NewContext();
        await new AuditStore(db).AppendAsync(new AuditEntry
        {
            At = DateTimeOffset.UtcNow, UserName = user, Action = $"cli {command}", ResourceKind = kind, ResourceId = id,
            Status = status, ClientAddress = "local", RequestId = Guid.NewGuid().ToString("N"), Detail = AuditStore.Detail(detail),
        });
    }
}
