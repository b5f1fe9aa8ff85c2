using System.Text.Json;

namespace BarrioSeguro.Geo.Data.Audit;

/// <summary>
/// One write, as the audit trail keeps it: who, when, what, on which resource, with which answer, from where. Rows are
/// only ever added; PostgreSQL refuses an UPDATE, DELETE or TRUNCATE of the table (a trigger of the AuditTrail migration).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>When the write was answered, UTC.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>The signed-in user, else the X-Barrio-User header, else "anonymous"; the OS user (or --as) for the CLI.</summary>
    public string UserName { get; set; } = "";

    /// <summary>The user's roles, comma-separated, when known.</summary>
    public string? Role { get; set; }

    /// <summary>The method and route pattern (<c>PUT /api/neighborhoods/{id}</c>), or the CLI command (<c>cli import</c>).</summary>
    public string Action { get; set; } = "";

    public string? ResourceKind { get; set; }

    public string? ResourceId { get; set; }

    /// <summary>The HTTP status of the answer (the CLI: 200 when done, 422 when refused).</summary>
    public int Status { get; set; }

    public string? ClientAddress { get; set; }

    public string? RequestId { get; set; }

    /// <summary>A small JSON object (version from and to, the file imported); null when there is nothing to add.</summary>
    public JsonDocument? Detail { get; set; }
}

/// <summary>What to look for in the trail; null members do not filter.</summary>
public sealed record AuditQuery(
    string? User = null, string? Action = null, string? ResourceKind = null, string? ResourceId = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 100, int Offset = 0);
