using System.Globalization;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>The audit trail, newest first, filtered: who changed what, when, from where, with which answer.</summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        // Admin only: Auth/Access.cs (the one access table) says so, and AccessMatrixTests checks it.
        app.MapGet("/api/audit", List).WithTags("Audit")
            .WithSummary("The audit trail, newest first: every write with user, role, action (method and route), resource, status, client address and request id. Filters: user, action, resourceKind, resourceId, from and to (ISO 8601 times; from inclusive, to exclusive), limit (default 100, at most 1,000) and offset; a 'next' link when there is more.");
        return app;
    }

    public sealed record AuditEntryView(
        long Id, DateTimeOffset At, string User, string? Role, string Action, string? ResourceKind, string? ResourceId,
        int Status, string? ClientAddress, string? RequestId, System.Text.Json.JsonElement? Detail);

    public sealed record AuditLink(string Href, string Rel);

    public sealed record AuditPage(List<AuditEntryView> Entries, List<AuditLink> Links);

    public static async Task<Results<Ok<AuditPage>, BadRequestProblem>> List(
        string? user, string? action, string? resourceKind, string? resourceId, string? from, string? to, int? limit, int? offset,
        HttpRequest request, AuditStore store, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit) return Problems.BadRequest("Invalid limit", Note.Of("api.limit_range", ("limit", limit.Value), ("max", MaxLimit)));
        if (offset is < 0) return Problems.BadRequest("Invalid offset", Note.Of("api.offset_negative", ("offset", offset.Value)));
        if (Time(from, "from") is { Error: { } fromError }) return fromError;
        if (Time(to, "to") is { Error: { } toError }) return toError;
        var take = limit ?? DefaultLimit;
        var skip = offset ?? 0;
        // One more than asked tells whether there is a next page.
        var rows = await store.QueryAsync(new AuditQuery(Blank(user), Blank(action), Blank(resourceKind), Blank(resourceId),
            Time(from, "from").Value, Time(to, "to").Value, take + 1, skip), ct);
        var links = new List<AuditLink> { new(Url(request, skip, take), "self") };
        if (rows.Count > take) links.Add(new AuditLink(Url(request, skip + take, take), "next"));
        return TypedResults.Ok(new AuditPage(rows.Take(take).Select(e => new AuditEntryView(e.Id, e.At, e.UserName, e.Role, e.Action,
            e.ResourceKind, e.ResourceId, e.Status, e.ClientAddress, e.RequestId, e.Detail?.RootElement.Clone())).ToList(), links));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static (DateTimeOffset? Value, BadRequestProblem? Error) Time(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? (value, null)
            : (null, Problems.BadRequest($"Invalid {name}", Note.Of("api.not_a_time", ("parameter", name), ("value", text))));
    }

    private static string Url(HttpRequest request, int offset, int limit)
    {
        var query = request.Query.Where(q => q.Key is not ("offset" or "limit"))
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"limit={limit}").Append($"offset={offset}");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }
}
