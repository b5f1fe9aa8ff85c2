using BarrioSeguro.Geo.Core.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Entries;

public enum EntryOutcome
{
    Saved,
    NotFound,
    /// <summary>The change started from another version than the stored one: nothing was written.</summary>
    Stale,
}

/// <summary>What a save did; <see cref="Entry"/> is the stored entry (the current one when stale).</summary>
public sealed record EntrySave<T>(EntryOutcome Outcome, T? Entry) where T : class, IVersioned;

/// <summary>
/// Contingents, stations, hot spots and incidents as people enter them: create, change and delete with a version
/// (optimistic concurrency: a change names the version it started from and is refused when another came first), and
/// the import of many incidents in one transaction.
/// </summary>
public sealed class EntryStore(BarrioDbContext db)
{
    public Task<T?> FindAsync<T>(int id, CancellationToken ct) where T : class, IVersioned =>
        db.Set<T>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);

    public async Task<T> CreateAsync<T>(T entry, string user, CancellationToken ct) where T : class, IVersioned
    {
        entry.Version = 1;
        entry.ChangedBy = user;
        entry.ChangedAt = DateTimeOffset.UtcNow;
        db.Add(entry);
        await db.SaveChangesAsync(ct);
        return entry;
    }

    /// <summary>Copies <paramref name="apply"/>'s change onto the stored entry when it is still at <paramref name="expected"/>.</summary>
    public async Task<EntrySave<T>> UpdateAsync<T>(int id, int expected, Action<T> apply, string user, CancellationToken ct) where T : class, IVersioned
    {
        var stored = await db.Set<T>().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (stored is null) return new(EntryOutcome.NotFound, null);
        if (stored.Version != expected) return new(EntryOutcome.Stale, stored);
        apply(stored);
        stored.Version = expected + 1;
        stored.ChangedBy = user;
        stored.ChangedAt = DateTimeOffset.UtcNow;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another writer saved between our read and our write: say which version is current now.
            db.ChangeTracker.Clear();
            return new(EntryOutcome.Stale, await FindAsync<T>(id, ct));
        }
        return new(EntryOutcome.Saved, stored);
    }

    public async Task<EntrySave<T>> DeleteAsync<T>(int id, int expected, CancellationToken ct) where T : class, IVersioned
    {
        var stored = await db.Set<T>().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (stored is null) return new(EntryOutcome.NotFound, null);
        if (stored.Version != expected) return new(EntryOutcome.Stale, stored);
        db.Remove(stored);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var now = await FindAsync<T>(id, ct);
            return new(now is null ? EntryOutcome.NotFound : EntryOutcome.Stale, now);
        }
        return new(EntryOutcome.Saved, stored);
    }

    /// <summary>Adds every incident in one transaction: all are kept, or none.</summary>
    public async Task<int> AddIncidentsAsync(IReadOnlyList<Incident> incidents, string user, CancellationToken ct)
    {
        var at = DateTimeOffset.UtcNow;
        foreach (var i in incidents)
        {
            i.Version = 1;
            i.ChangedBy = user;
            i.ChangedAt = at;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Incidents.AddRange(incidents);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return incidents.Count;
    }

    /// <summary>The districts whose boundary holds the point (INEI's limits overlap a little: one or two), by ubigeo.</summary>
    public Task<List<string>> DistrictsAtAsync(Point point, CancellationToken ct) =>
        db.Districts.AsNoTracking().Where(d => d.Boundary.Intersects(point)).OrderBy(d => d.Ubigeo).Select(d => d.Ubigeo).ToListAsync(ct);

    /// <summary>The district of a point as it is kept (a station's, a hot spot's): the first that holds it.</summary>
    public async Task<string?> DistrictOfAsync(Point point, CancellationToken ct) => (await DistrictsAtAsync(point, ct)).FirstOrDefault();

    /// <summary>The district of a neighbourhood, and whether it exists.</summary>
    public async Task<(bool Exists, string? District)> NeighborhoodDistrictAsync(int id, CancellationToken ct)
    {
        var found = await db.Neighborhoods.AsNoTracking().Where(n => n.Id == id).Select(n => new { n.DistrictUbigeo }).FirstOrDefaultAsync(ct);
        return (found is not null, found?.DistrictUbigeo);
    }

    /// <summary>The hot spots, by id, optionally those in the districts only (null or empty: all).</summary>
    public Task<List<HotSpot>> HotSpotsAsync(IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        IQueryable<HotSpot> q = db.HotSpots.AsNoTracking();
        if (districts is { Count: > 0 })
        {
            var ubigeos = districts.ToArray();
            q = q.Where(h => db.Districts.Any(d => ubigeos.Contains(d.Ubigeo) && d.Boundary.Intersects(h.Location)));
        }
        return q.OrderBy(h => h.Id).ToListAsync(ct);
    }

    /// <summary>The boundaries of the districts, to check many points in memory.</summary>
    public Task<List<MultiPolygon>> DistrictBoundariesAsync(IReadOnlyCollection<string> ubigeos, CancellationToken ct)
    {
        var wanted = ubigeos.ToArray();
        return db.Districts.AsNoTracking().Where(d => wanted.Contains(d.Ubigeo)).Select(d => d.Boundary).ToListAsync(ct);
    }

    /// <summary>The number of incidents stored (for an import's answer).</summary>
    public Task<int> IncidentCountAsync(CancellationToken ct) => db.Incidents.CountAsync(ct);
}
