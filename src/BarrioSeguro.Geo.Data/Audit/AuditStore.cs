using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace BarrioSeguro.Geo.Data.Audit;

/// <summary>Adds to and reads the audit trail; the one way the service and the CLI write it.</summary>
public sealed class AuditStore(BarrioDbContext db)
{
    /// <summary>Longest text kept per field: a header is the caller's to choose, the trail is not theirs to fill.</summary>
    public const int MaxFieldLength = 256;

    /// <summary>
    /// Appends one entry. Written with its own INSERT (not the change tracker), so entities a failed request left
    /// tracked in the same DbContext are never saved along with it.
    /// </summary>
    public async Task AppendAsync(AuditEntry entry, CancellationToken ct = default)
    {
        var detail = entry.Detail?.RootElement.GetRawText();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO audit_entries (at, user_name, role, action, resource_kind, resource_id, status, client_address, request_id, detail)
            VALUES ({entry.At.ToUniversalTime()}, {Cut(entry.UserName) ?? ""}, {Cut(entry.Role)}, {Cut(entry.Action) ?? ""},
                    {Cut(entry.ResourceKind)}, {Cut(entry.ResourceId)}, {entry.Status}, {Cut(entry.ClientAddress)},
                    {Cut(entry.RequestId)}, CAST({detail} AS jsonb))
            """, ct);
    }

    /// <summary>The entries that match, newest first.</summary>
    public async Task<List<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default)
    {
        var rows = db.Set<AuditEntry>().AsNoTracking();
        if (query.User is { } user) rows = rows.Where(e => e.UserName == user);
        if (query.Action is { } action) rows = rows.Where(e => e.Action == action);
        if (query.ResourceKind is { } kind) rows = rows.Where(e => e.ResourceKind == kind);
        if (query.ResourceId is { } id) rows = rows.Where(e => e.ResourceId == id);
        if (query.From is { } from) rows = rows.Where(e => e.At >= from.ToUniversalTime());
        if (query.To is { } to) rows = rows.Where(e => e.At < to.ToUniversalTime());
        return await rows.OrderByDescending(e => e.Id).Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
    }

    /// <summary>A detail object from name/value pairs (nulls left out); null when nothing is left.</summary>
    public static JsonDocument? Detail(params (string Name, object? Value)[] members)
    {
        var kept = members.Where(m => m.Value is not null).ToDictionary(m => m.Name, m => m.Value);
        return kept.Count == 0 ? null : JsonSerializer.SerializeToDocument(kept);
    }

    private static string? Cut(string? text) => text is { Length: > MaxFieldLength } ? text[..MaxFieldLength] : text;
}
