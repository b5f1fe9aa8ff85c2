using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Notes;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Neighborhoods;

/// <summary>What a planner sends to create or change a neighbourhood. Null members are left as they are on update.</summary>
public sealed record NeighborhoodChange(
    string? Name, string? DistrictUbigeo, MultiPolygon? Boundary, NeighborhoodStatus? Status, bool? IsIllustrative, string? Description);

public enum NeighborhoodSaveOutcome
{
    Saved,
    NotFound,
    /// <summary>The neighbourhood changed since the version the caller started from; nothing was written.</summary>
    StaleVersion,
    /// <summary>Another neighbourhood has that name.</summary>
    DuplicateName,
    UnknownDistrict,
    MissingField,
    /// <summary>A revert named a version the neighbourhood never had.</summary>
    UnknownRevision,
}

/// <summary>Who makes a change, and why: kept in the neighbourhood's history.</summary>
public sealed record Edit(string Author, string? Comment = null);

/// <param name="ChangedBy">For a stale version: who made the current one (its revision's author), and when.</param>
public sealed record NeighborhoodSaveResult(NeighborhoodSaveOutcome Outcome, Neighborhood? Neighborhood = null, Note? Reason = null,
    string? ChangedBy = null, DateTimeOffset? ChangedAt = null)
{
    /// <summary>The reason in English (logs, the CLI's messages); the API says <see cref="Reason"/> in the reader's language.</summary>
    public string? Detail => Reason?.English;
}

/// <summary>Creates and updates neighbourhoods with optimistic concurrency on their version.</summary>
public sealed class NeighborhoodStore(BarrioDbContext db)
{
    public Task<Neighborhood?> FindAsync(int id, CancellationToken ct) =>
        db.Neighborhoods.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);

    /// <summary>Creates a neighbourhood at version 1. The boundary is expected to be checked already.</summary>
    public async Task<NeighborhoodSaveResult> CreateAsync(NeighborhoodChange change, Edit edit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(change.Name) || change.Boundary is null)
            return new(NeighborhoodSaveOutcome.MissingField, Reason: Note.Of("store.neighborhood_needs_name"));
        if (await Conflicts(change, null, ct) is { } conflict) return conflict;

        var n = new Neighborhood
        {
            Name = change.Name.Trim(),
            Boundary = change.Boundary,
            DistrictUbigeo = change.DistrictUbigeo,
            Status = change.Status ?? NeighborhoodStatus.Draft,
            IsIllustrative = change.IsIllustrative ?? false,
            Description = change.Description,
            Version = 1,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Neighborhoods.Add(n);
            await db.SaveChangesAsync(ct);
            db.NeighborhoodRevisions.Add(Revision(n, null, edit));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseConflict.IsUniqueViolation(e, DatabaseConflict.NeighborhoodName))
        {
            // Another create took the name between our check and our insert.
            db.ChangeTracker.Clear();
            return new(NeighborhoodSaveOutcome.DuplicateName, Reason: Note.Of("store.duplicate_name", ("name", n.Name)));
        }
        return new(NeighborhoodSaveOutcome.Saved, n);
    }

    /// <summary>Applies a change if the stored version is still <paramref name="expectedVersion"/>; bumps the version.</summary>
    public async Task<NeighborhoodSaveResult> UpdateAsync(int id, int expectedVersion, NeighborhoodChange change, Edit edit, CancellationToken ct)
    {
        var n = await db.Neighborhoods.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (n is null) return new(NeighborhoodSaveOutcome.NotFound);
        if (n.Version != expectedVersion)
            return await WithLastChange(new(NeighborhoodSaveOutcome.StaleVersion, n,
                Note.Of("store.stale_version", ("id", id), ("version", n.Version), ("expected", expectedVersion))), ct);
        if (await Conflicts(change, id, ct) is { } conflict) return conflict;

        var before = n.Boundary;
        if (!string.IsNullOrWhiteSpace(change.Name)) n.Name = change.Name.Trim();
        if (change.DistrictUbigeo is not null) n.DistrictUbigeo = change.DistrictUbigeo;
        if (change.Boundary is not null) n.Boundary = change.Boundary;
        if (change.Status is { } s) n.Status = s;
        if (change.IsIllustrative is { } il) n.IsIllustrative = il;
        if (change.Description is not null) n.Description = change.Description;
        n.Version = expectedVersion + 1;
        n.UpdatedAt = DateTimeOffset.UtcNow;
        db.NeighborhoodRevisions.Add(Revision(n, before, edit));
        try
        {
            // The version is a concurrency token: a writer that slipped in since we read makes this throw, and the
            // revision with it (one SaveChanges is one transaction).
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseConflict.IsUniqueViolation(e, DatabaseConflict.NeighborhoodName))
        {
            db.ChangeTracker.Clear();
            return new(NeighborhoodSaveOutcome.DuplicateName, Reason: Note.Of("store.duplicate_name", ("name", change.Name?.Trim() ?? "")));
        }
        catch (DbUpdateException e) when (DatabaseConflict.IsRace(e))
        {
            // A racing writer got there first: its revision took our version number (23505), or the version token
            // matched no row. Either way nothing of ours was written.
            db.ChangeTracker.Clear();
            return await WithLastChange(new(NeighborhoodSaveOutcome.StaleVersion, await FindAsync(id, ct),
                Note.Of("store.changed_meanwhile", ("id", id))), ct);
        }
        return new(NeighborhoodSaveOutcome.Saved, n);
    }

    /// <summary>A stale result with who made the current version and when (its last revision).</summary>
    private async Task<NeighborhoodSaveResult> WithLastChange(NeighborhoodSaveResult stale, CancellationToken ct)
    {
        if (stale.Neighborhood is not { } n) return stale;
        var last = await db.NeighborhoodRevisions.AsNoTracking().Where(r => r.NeighborhoodId == n.Id && r.Version == n.Version)
            .Select(r => new { r.Author, r.CreatedAt }).FirstOrDefaultAsync(ct);
        return stale with { ChangedBy = last?.Author, ChangedAt = last?.CreatedAt };
    }

    /// <summary>Makes the boundary of an earlier version the current one, as a new version (history is never rewritten).</summary>
    public async Task<NeighborhoodSaveResult> RevertAsync(int id, int expectedVersion, int toVersion, Edit edit, CancellationToken ct)
    {
        var target = await RevisionAsync(id, toVersion, ct);
        if (target is null)
            return await db.Neighborhoods.AnyAsync(n => n.Id == id, ct)
                ? new(NeighborhoodSaveOutcome.UnknownRevision, Reason: Note.Of("api.no_version", ("id", id), ("version", toVersion)))
                : new(NeighborhoodSaveOutcome.NotFound);
        var comment = edit.Comment ?? $"Reverted to version {toVersion}.";
        return await UpdateAsync(id, expectedVersion, new NeighborhoodChange(null, null, target.Boundary, null, null, null), edit with { Comment = comment }, ct);
    }

    /// <summary>The history of a neighbourhood, oldest first; empty when it does not exist.</summary>
    public Task<List<NeighborhoodRevision>> RevisionsAsync(int id, CancellationToken ct) =>
        db.NeighborhoodRevisions.AsNoTracking().Where(r => r.NeighborhoodId == id).OrderBy(r => r.Version).ToListAsync(ct);

    public Task<NeighborhoodRevision?> RevisionAsync(int id, int version, CancellationToken ct) =>
        db.NeighborhoodRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.NeighborhoodId == id && r.Version == version, ct);

    /// <summary>What changed between two versions; null when either does not exist.</summary>
    public async Task<BoundaryChange?> DiffAsync(int id, int from, int to, CancellationToken ct)
    {
        var a = await RevisionAsync(id, from, ct);
        var b = await RevisionAsync(id, to, ct);
        return a is null || b is null ? null : BoundaryDiff.Compare(a.Boundary, b.Boundary);
    }

    private static NeighborhoodRevision Revision(Neighborhood n, MultiPolygon? before, Edit edit)
    {
        var change = BoundaryDiff.Compare(before, n.Boundary);
        return new NeighborhoodRevision
        {
            NeighborhoodId = n.Id,
            Version = n.Version,
            Boundary = n.Boundary,
            Author = string.IsNullOrWhiteSpace(edit.Author) ? "anonymous" : edit.Author.Trim(),
            Comment = edit.Comment,
            CreatedAt = n.UpdatedAt,
            AddedSquareMeters = Math.Round(change.AddedSquareMeters, 1),
            RemovedSquareMeters = Math.Round(change.RemovedSquareMeters, 1),
        };
    }

    private async Task<NeighborhoodSaveResult?> Conflicts(NeighborhoodChange change, int? id, CancellationToken ct)
    {
        if (change.Name is { } name && await db.Neighborhoods.AnyAsync(n => n.Name == name.Trim() && n.Id != id, ct))
            return new(NeighborhoodSaveOutcome.DuplicateName, Reason: Note.Of("store.duplicate_name", ("name", name.Trim())));
        if (change.DistrictUbigeo is { } ubigeo && !await db.Districts.AnyAsync(d => d.Ubigeo == ubigeo, ct))
            return new(NeighborhoodSaveOutcome.UnknownDistrict, Reason: Note.Of("api.no_district", ("ubigeo", ubigeo)));
        return null;
    }
}
