using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Data.Import;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Lifecycle;

public enum LifecycleOutcome
{
    Done,
    NotFound,
    /// <summary>The caller's version is not the current one: nothing was written.</summary>
    Stale,
    /// <summary>A restore of something that is not deleted.</summary>
    NotDeleted,
    /// <summary>A plan whose neighbourhood is deleted: restore the neighbourhood (its plans come back with it).</summary>
    NeighborhoodDeleted,
    /// <summary>An import that is not the newest version of its dataset (a newer one replaced it).</summary>
    NotCurrent,
    /// <summary>An import of a collection that is not kept in versions (districts, neighbourhoods, incidents).</summary>
    NotVersioned,
}

/// <summary>What a delete or restore did, or why it did nothing.</summary>
/// <param name="Version">The current version (the ETag) of the resource.</param>
/// <param name="ChangedBy">Who changed it last, for a stale answer.</param>
/// <param name="Plans">Plans deleted or restored with a neighbourhood.</param>
/// <param name="Features">Rows removed and put back by an import's delete or restore.</param>
public sealed record LifecycleResult(
    LifecycleOutcome Outcome, int Version = 0, string? ChangedBy = null, DateTimeOffset? ChangedAt = null, int Plans = 0, int Features = 0,
    int? CurrentImportId = null);

/// <summary>A deleted neighbourhood or plan as the admins' list shows it.</summary>
public sealed record DeletedItem(string Kind, int Id, string Name, int Version, int? NeighborhoodId, string? DistrictUbigeo, DateTimeOffset DeletedAt, string? DeletedBy);

/// <summary>A street (or station) named in a diff: its OSM id when it has one, and its name.</summary>
public sealed record DiffFeature(long? OsmId, string? Name);

public sealed record DiffRename(long? OsmId, string? From, string? To);

/// <summary>What changed from one version of a dataset to the next.</summary>
/// <param name="MatchedBy">"osm_id" when every feature of both versions has one, "osm_id, geometry and name" when some
/// have one, else "geometry and name".</param>
public sealed record ImportDiff(
    int ImportId, int? FromImportId, int? FromVersion, int ToVersion, string Collection, string? DistrictUbigeo, string MatchedBy,
    IReadOnlyList<DiffFeature> Added, IReadOnlyList<DiffFeature> Removed, IReadOnlyList<DiffRename> Renamed,
    IReadOnlyList<DiffFeature> GeometryChanged, int Unchanged);

/// <summary>Whether a plan was computed on the street data that is current for its neighbourhood.</summary>
public sealed record PlanDataState(bool Stale, int? DatasetVersion, int? CurrentVersion);

/// <summary>
/// The whole life of the data: deleting and restoring neighbourhoods, kept plans and imports (kept, hidden, put back),
/// and imports as versions of a dataset with what changed between them. Each operation is one transaction.
/// </summary>
public sealed class LifecycleStore(BarrioDbContext db)
{
    // ---- neighbourhoods -------------------------------------------------------------------------------------------

    /// <summary>A neighbourhood, deleted or not.</summary>
    public Task<Neighborhood?> AnyNeighborhoodAsync(int id, CancellationToken ct) =>
        db.Neighborhoods.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);

    /// <summary>
    /// Deletes a neighbourhood at <paramref name="expectedVersion"/> with its plans (they come back with it). The version
    /// does not change: a restored neighbourhood is the same as before.
    /// </summary>
    public async Task<LifecycleResult> DeleteNeighborhoodAsync(int id, int expectedVersion, string user, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var n = await db.Neighborhoods.FromSqlInterpolated($"SELECT * FROM neighborhoods WHERE id = {id} FOR UPDATE").AsNoTracking().FirstOrDefaultAsync(ct);
        if (n is null) return new(LifecycleOutcome.NotFound);
        if (n.Version != expectedVersion) return await StaleNeighborhood(n, ct);
        var at = Now();
        await db.Neighborhoods.Where(x => x.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.DeletedAt, at).SetProperty(x => x.DeletedBy, user), ct);
        var plans = await db.SectorPlans.Where(p => p.NeighborhoodId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.DeletedAt, at).SetProperty(p => p.DeletedBy, user), ct);
        await tx.CommitAsync(ct);
        return new(LifecycleOutcome.Done, n.Version, Plans: plans);
    }

    /// <summary>Restores a deleted neighbourhood and the plans deleted with it (not those deleted on their own before).</summary>
    public async Task<LifecycleResult> RestoreNeighborhoodAsync(int id, int expectedVersion, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var n = await db.Neighborhoods.FromSqlInterpolated($"SELECT * FROM neighborhoods WHERE id = {id} FOR UPDATE")
            .IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(ct);
        if (n is null) return new(LifecycleOutcome.NotFound);
        if (n.DeletedAt is not { } at) return new(LifecycleOutcome.NotDeleted, n.Version);
        if (n.Version != expectedVersion) return await StaleNeighborhood(n, ct);
        var plans = await db.SectorPlans.IgnoreQueryFilters().Where(p => p.NeighborhoodId == id && p.DeletedAt == at)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.DeletedAt, (DateTimeOffset?)null).SetProperty(p => p.DeletedBy, (string?)null), ct);
        await db.Neighborhoods.IgnoreQueryFilters().Where(x => x.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.DeletedAt, (DateTimeOffset?)null).SetProperty(x => x.DeletedBy, (string?)null), ct);
        await tx.CommitAsync(ct);
        return new(LifecycleOutcome.Done, n.Version, Plans: plans);
    }

    private async Task<LifecycleResult> StaleNeighborhood(Neighborhood n, CancellationToken ct)
    {
        var last = await db.NeighborhoodRevisions.AsNoTracking().Where(r => r.NeighborhoodId == n.Id).OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);
        return new(LifecycleOutcome.Stale, n.Version, last?.Author, last?.CreatedAt);
    }

    // ---- plans ----------------------------------------------------------------------------------------------------

    /// <summary>A kept plan never changes: its version (ETag) is always this one.</summary>
    public const int PlanVersion = 1;

    public Task<SectorPlan?> AnyPlanAsync(int id, CancellationToken ct) =>
        db.SectorPlans.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);

    public async Task<LifecycleResult> DeletePlanAsync(int planId, int expectedVersion, string user, CancellationToken ct)
    {
        var p = await db.SectorPlans.AsNoTracking().FirstOrDefaultAsync(x => x.Id == planId, ct);
        if (p is null) return new(LifecycleOutcome.NotFound);
        if (expectedVersion != PlanVersion) return new(LifecycleOutcome.Stale, PlanVersion, p.Author, p.CreatedAt);
        var at = Now();
        var done = await db.SectorPlans.Where(x => x.Id == planId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.DeletedAt, at).SetProperty(x => x.DeletedBy, user), ct);
        return new(done == 1 ? LifecycleOutcome.Done : LifecycleOutcome.NotFound, PlanVersion);
    }

    public async Task<LifecycleResult> RestorePlanAsync(int planId, int expectedVersion, CancellationToken ct)
    {
        var p = await AnyPlanAsync(planId, ct);
        if (p is null) return new(LifecycleOutcome.NotFound);
        if (p.DeletedAt is null) return new(LifecycleOutcome.NotDeleted, PlanVersion);
        if (expectedVersion != PlanVersion) return new(LifecycleOutcome.Stale, PlanVersion, p.DeletedBy, p.DeletedAt);
        if (!await db.Neighborhoods.AnyAsync(n => n.Id == p.NeighborhoodId, ct)) return new(LifecycleOutcome.NeighborhoodDeleted, PlanVersion);
        var done = await db.SectorPlans.IgnoreQueryFilters().Where(x => x.Id == planId && x.DeletedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.DeletedAt, (DateTimeOffset?)null).SetProperty(x => x.DeletedBy, (string?)null), ct);
        return new(done == 1 ? LifecycleOutcome.Done : LifecycleOutcome.NotDeleted, PlanVersion);
    }

    /// <summary>The deleted neighbourhoods (and their districts), newest deletion first.</summary>
    public Task<List<DeletedItem>> DeletedNeighborhoodsAsync(CancellationToken ct) =>
        db.Neighborhoods.IgnoreQueryFilters().AsNoTracking().Where(n => n.DeletedAt != null).OrderByDescending(n => n.DeletedAt).ThenBy(n => n.Id)
            .Select(n => new DeletedItem("neighborhood", n.Id, n.Name, n.Version, n.Id, n.DistrictUbigeo, n.DeletedAt!.Value, n.DeletedBy)).ToListAsync(ct);

    /// <summary>The deleted plans of a neighbourhood (deleted or not), newest deletion first.</summary>
    public async Task<List<DeletedItem>> DeletedPlansAsync(int neighborhoodId, CancellationToken ct)
    {
        var district = await db.Neighborhoods.IgnoreQueryFilters().Where(n => n.Id == neighborhoodId).Select(n => n.DistrictUbigeo).FirstOrDefaultAsync(ct);
        return await db.SectorPlans.IgnoreQueryFilters().AsNoTracking().Where(p => p.NeighborhoodId == neighborhoodId && p.DeletedAt != null)
            .OrderByDescending(p => p.DeletedAt).ThenByDescending(p => p.Id)
            .Select(p => new DeletedItem("plan", p.Id, p.Name, PlanVersion, p.NeighborhoodId, district, p.DeletedAt!.Value, p.DeletedBy)).ToListAsync(ct);
    }

    // ---- plans on older data --------------------------------------------------------------------------------------

    /// <summary>
    /// The street dataset a plan of <paramref name="n"/> is computed on: the current streets import of its district,
    /// else the current one with no district; null when streets were never imported as versions.
    /// </summary>
    public static async Task<Dataset?> StreetDatasetOfAsync(BarrioDbContext db, Neighborhood n, CancellationToken ct) =>
        (n.DistrictUbigeo is { } d ? await CollectionImporter.CurrentAsync(db, "streets", d, ct) : null)
        ?? await CollectionImporter.CurrentAsync(db, "streets", null, ct);

    /// <summary>For the plans of one neighbourhood: whether each was made on the street data current now.</summary>
    public async Task<Func<SectorPlan, PlanDataState>> DataStatesAsync(Neighborhood n, IEnumerable<SectorPlan> plans, CancellationToken ct)
    {
        var current = await StreetDatasetOfAsync(db, n, ct);
        var ids = plans.Select(p => p.DatasetId).OfType<int>().Distinct().ToList();
        var versions = await db.Datasets.IgnoreQueryFilters().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Version, ct);
        return p =>
        {
            var stale = p.DatasetId is { } id
                ? id != current?.Id
                : current is not null && current.LoadedAt > p.CreatedAt; // a plan made before imports were versioned
            return new PlanDataState(stale, p.DatasetId is { } pid ? versions.GetValueOrDefault(pid) : null, current?.Version);
        };
    }

    // ---- imports --------------------------------------------------------------------------------------------------

    /// <summary>The imports, newest first; with <paramref name="deleted"/> the deleted ones instead.</summary>
    public Task<List<Dataset>> ImportsAsync(string? collection, string? district, bool deleted, CancellationToken ct)
    {
        var q = db.Datasets.IgnoreQueryFilters().AsNoTracking().Where(d => deleted ? d.DeletedAt != null : d.DeletedAt == null);
        if (collection is not null) q = q.Where(d => d.Collection == collection);
        if (district is not null) q = q.Where(d => d.DistrictUbigeo == district);
        return q.OrderByDescending(d => d.Id).ToListAsync(ct);
    }

    public Task<Dataset?> AnyImportAsync(int id, CancellationToken ct) =>
        db.Datasets.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);

    /// <summary>What changed from the version an import replaced (else the version before it) to the import; null when no such import.</summary>
    public async Task<ImportDiff?> DiffAsync(int id, CancellationToken ct)
    {
        var to = await AnyImportAsync(id, ct);
        if (to is null) return null;
        var from = to.ReplacesId is { } r
            ? await AnyImportAsync(r, ct)
            : await db.Datasets.IgnoreQueryFilters().AsNoTracking()
                .Where(d => d.Collection == to.Collection && d.DistrictUbigeo == to.DistrictUbigeo && d.Version < to.Version)
                .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);
        var before = from is null ? [] : await FeaturesOf(from.Id, ct);
        var after = await FeaturesOf(to.Id, ct);
        return Compare(to, from, before, after);
    }

    private Task<List<ImportFeature>> FeaturesOf(int datasetId, CancellationToken ct) =>
        db.ImportFeatures.AsNoTracking().Where(f => f.DatasetId == datasetId).OrderBy(f => f.Ordinal).ToListAsync(ct);

    /// <summary>
    /// Matches the features of two versions by OSM id where both have one (a way clipped into pieces is one feature),
    /// else by name and geometry, then by geometry alone (the same line with another name is a rename).
    /// </summary>
    public static ImportDiff Compare(Dataset to, Dataset? from, IReadOnlyList<ImportFeature> before, IReadOnlyList<ImportFeature> after)
    {
        var added = new List<DiffFeature>();
        var removed = new List<DiffFeature>();
        var renamed = new List<DiffRename>();
        var moved = new List<DiffFeature>();
        var unchanged = 0;

        static Dictionary<long, (string? Name, Geometry Shape)> ByOsm(IEnumerable<ImportFeature> fs) => fs.Where(f => f.OsmId is not null)
            .GroupBy(f => f.OsmId!.Value)
            .ToDictionary(g => g.Key, g => (g.Select(f => f.Name).FirstOrDefault(n => n is not null), Shape(g.Select(f => f.Geometry))));
        var a = ByOsm(before);
        var b = ByOsm(after);
        foreach (var (osm, old) in a.OrderBy(x => x.Key))
        {
            if (!b.TryGetValue(osm, out var now)) { removed.Add(new(osm, old.Name)); continue; }
            var sameShape = old.Shape.EqualsExact(now.Shape);
            if (old.Name != now.Name) renamed.Add(new(osm, old.Name, now.Name));
            if (!sameShape) moved.Add(new(osm, now.Name));
            if (sameShape && old.Name == now.Name) unchanged++;
        }
        added.AddRange(b.Keys.Where(k => !a.ContainsKey(k)).Order().Select(k => new DiffFeature(k, b[k].Name)));

        // Without OSM ids: the same name and line is the same street; the same line under another name a rename.
        var restA = before.Where(f => f.OsmId is null).Select(f => (f.Name, Wkt: f.Geometry.Normalized().AsText())).ToList();
        var restB = after.Where(f => f.OsmId is null).Select(f => (f.Name, Wkt: f.Geometry.Normalized().AsText())).ToList();
        foreach (var f in restA.ToList())
        {
            var i = restB.IndexOf(f);
            if (i < 0) continue;
            restB.RemoveAt(i);
            restA.Remove(f);
            unchanged++;
        }
        foreach (var f in restA.ToList())
        {
            var i = restB.FindIndex(g => g.Wkt == f.Wkt);
            if (i < 0) continue;
            renamed.Add(new(null, f.Name, restB[i].Name));
            restB.RemoveAt(i);
            restA.Remove(f);
        }
        removed.AddRange(restA.Select(f => new DiffFeature(null, f.Name)));
        added.AddRange(restB.Select(f => new DiffFeature(null, f.Name)));

        var withOsm = before.Concat(after).Count(f => f.OsmId is not null);
        var all = before.Count + after.Count;
        var matchedBy = withOsm == all && all > 0 ? "osm_id" : withOsm == 0 ? "geometry and name" : "osm_id, geometry and name";
        return new ImportDiff(to.Id, from?.Id, from?.Version, to.Version, to.Collection, to.DistrictUbigeo, matchedBy,
            added, removed, renamed, moved, unchanged);
    }

    private static Geometry Shape(IEnumerable<Geometry> pieces)
    {
        var list = pieces.Select(g => g.Normalized()).OrderBy(g => g.AsText(), StringComparer.Ordinal).ToArray();
        return list.Length == 1 ? list[0] : list[0].Factory.BuildGeometry(list);
    }

    /// <summary>
    /// Deletes the newest version of a dataset: its rows go, the rows of the version it replaced come back (from the
    /// features kept with that version). The import is kept, deleted, and can be restored.
    /// </summary>
    public async Task<LifecycleResult> DeleteImportAsync(int id, int expectedVersion, string user, CancellationToken ct)
    {
        var d = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null) return new(LifecycleOutcome.NotFound);
        if (!CollectionImporter.VersionedCollections.Contains(d.Collection)) return new(LifecycleOutcome.NotVersioned, d.Version);
        if (expectedVersion != d.Version) return new(LifecycleOutcome.Stale, d.Version, d.ImportedBy, d.LoadedAt);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await CollectionImporter.LockLineageAsync(db, d.Collection, d.DistrictUbigeo, ct);
        var current = await CollectionImporter.CurrentAsync(db, d.Collection, d.DistrictUbigeo, ct);
        if (current?.Id != d.Id) return new(LifecycleOutcome.NotCurrent, d.Version, CurrentImportId: current?.Id);
        var features = await CollectionImporter.DeleteRowsAsync(db, d.Collection, d.Id, ct);
        if (d.ReplacesId is { } previous) features += await PutBackAsync(d.Collection, previous, ct);
        // The first version of a district had taken the place of the same OSM features loaded with no district.
        else if (d.DistrictUbigeo is not null) features += await CollectionImporter.UnshadowAsync(db, d.Collection, d.Id, ct);
        await db.Datasets.Where(x => x.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.DeletedAt, Now()).SetProperty(x => x.DeletedBy, user), ct);
        await tx.CommitAsync(ct);
        return new(LifecycleOutcome.Done, d.Version, Features: features, CurrentImportId: d.ReplacesId);
    }

    /// <summary>Restores a deleted import as the current version again, when no newer version was loaded since.</summary>
    public async Task<LifecycleResult> RestoreImportAsync(int id, int expectedVersion, CancellationToken ct)
    {
        var d = await AnyImportAsync(id, ct);
        if (d is null) return new(LifecycleOutcome.NotFound);
        if (d.DeletedAt is null) return new(LifecycleOutcome.NotDeleted, d.Version);
        if (!CollectionImporter.VersionedCollections.Contains(d.Collection)) return new(LifecycleOutcome.NotVersioned, d.Version);
        if (expectedVersion != d.Version) return new(LifecycleOutcome.Stale, d.Version, d.DeletedBy, d.DeletedAt);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await CollectionImporter.LockLineageAsync(db, d.Collection, d.DistrictUbigeo, ct);
        var current = await CollectionImporter.CurrentAsync(db, d.Collection, d.DistrictUbigeo, ct);
        // Only on top of what it replaced: a version loaded since would lose its rows.
        var onTop = d.DistrictUbigeo is null ? current is null || current.Version < d.Version : current?.Id == d.ReplacesId;
        if (!onTop)
            return new(LifecycleOutcome.NotCurrent, d.Version, CurrentImportId: current?.Id);
        var features = 0;
        if (d.ReplacesId is { } previous) features += await CollectionImporter.DeleteRowsAsync(db, d.Collection, previous, ct);
        features += await PutBackAsync(d.Collection, d.Id, ct);
        if (d.DistrictUbigeo is not null)
            await CollectionImporter.ShadowAsync(db, d.Collection, await CollectionImporter.OsmIdsOfImportAsync(db, d.Id, ct), ct);
        await db.Datasets.IgnoreQueryFilters().Where(x => x.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.DeletedAt, (DateTimeOffset?)null).SetProperty(x => x.DeletedBy, (string?)null), ct);
        await tx.CommitAsync(ct);
        return new(LifecycleOutcome.Done, d.Version, Features: features, CurrentImportId: d.Id);
    }

    /// <summary>Writes the rows of an import again from the features kept with it.</summary>
    private async Task<int> PutBackAsync(string collection, int datasetId, CancellationToken ct)
    {
        var kept = await FeaturesOf(datasetId, ct);
        foreach (var f in kept)
        {
            var row = CollectionImporter.Restored(collection, f);
            db.Add(row);
            db.Entry(row).Property(BarrioDbContext.DatasetColumn).CurrentValue = datasetId;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return kept.Count;
    }

    // Microseconds, as PostgreSQL keeps them: the plans deleted with a neighbourhood carry its exact time.
    private static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(-(now.Ticks % 10));
    }
}
