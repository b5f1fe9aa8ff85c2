using BarrioSeguro.Geo.Core.Domain;
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
}

public sealed record NeighborhoodSaveResult(NeighborhoodSaveOutcome Outcome, Neighborhood? Neighborhood = null, string? Detail = null);

/// <summary>Creates and updates neighbourhoods with optimistic concurrency on their version.</summary>
public sealed class NeighborhoodStore(BarrioDbContext db)
{
    public Task<Neighborhood?> FindAsync(int id, CancellationToken ct) =>
        db.Neighborhoods.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);

    /// <summary>Creates a neighbourhood at version 1. The boundary is expected to be checked already.</summary>
    public async Task<NeighborhoodSaveResult> CreateAsync(NeighborhoodChange change, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(change.Name) || change.Boundary is null)
            return new(NeighborhoodSaveOutcome.MissingField, Detail: "A new neighbourhood needs a 'name' property and a polygon geometry.");
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
        db.Neighborhoods.Add(n);
        await db.SaveChangesAsync(ct);
        return new(NeighborhoodSaveOutcome.Saved, n);
    }

    /// <summary>Applies a change if the stored version is still <paramref name="expectedVersion"/>; bumps the version.</summary>
    public async Task<NeighborhoodSaveResult> UpdateAsync(int id, int expectedVersion, NeighborhoodChange change, CancellationToken ct)
    {
        var n = await db.Neighborhoods.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (n is null) return new(NeighborhoodSaveOutcome.NotFound);
        if (n.Version != expectedVersion)
            return new(NeighborhoodSaveOutcome.StaleVersion, n,
                $"Neighbourhood {id} is at version {n.Version}, but the change started from version {expectedVersion}. Reload it and apply the change again.");
        if (await Conflicts(change, id, ct) is { } conflict) return conflict;

        if (!string.IsNullOrWhiteSpace(change.Name)) n.Name = change.Name.Trim();
        if (change.DistrictUbigeo is not null) n.DistrictUbigeo = change.DistrictUbigeo;
        if (change.Boundary is not null) n.Boundary = change.Boundary;
        if (change.Status is { } s) n.Status = s;
        if (change.IsIllustrative is { } il) n.IsIllustrative = il;
        if (change.Description is not null) n.Description = change.Description;
        n.Version = expectedVersion + 1;
        n.UpdatedAt = DateTimeOffset.UtcNow;
        try
        {
            // The version is a concurrency token: a writer that slipped in since we read makes this throw.
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new(NeighborhoodSaveOutcome.StaleVersion, await FindAsync(id, ct),
                $"Neighbourhood {id} was changed by someone else while this change was saved. Reload it and apply the change again.");
        }
        return new(NeighborhoodSaveOutcome.Saved, n);
    }

    private async Task<NeighborhoodSaveResult?> Conflicts(NeighborhoodChange change, int? id, CancellationToken ct)
    {
        if (change.Name is { } name && await db.Neighborhoods.AnyAsync(n => n.Name == name.Trim() && n.Id != id, ct))
            return new(NeighborhoodSaveOutcome.DuplicateName, Detail: $"A neighbourhood named '{name.Trim()}' exists already.");
        if (change.DistrictUbigeo is { } ubigeo && !await db.Districts.AnyAsync(d => d.Ubigeo == ubigeo, ct))
            return new(NeighborhoodSaveOutcome.UnknownDistrict, Detail: $"No district has ubigeo '{ubigeo}'.");
        return null;
    }
}
