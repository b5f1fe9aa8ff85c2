using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Planning.Blocks;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Blocks;

/// <summary>
/// Blocks computed for a scope ("neighborhood:12" or "district:130104") and kept until the next computation of the same
/// scope replaces them, all at once.
/// </summary>
public sealed class BlockStore(BarrioDbContext db)
{
    public const string ScopeColumn = "Scope";

    public static string NeighborhoodScope(int id) => $"neighborhood:{id}";

    public static string DistrictScope(string ubigeo) => $"district:{ubigeo}";

    /// <summary>
    /// Blocks of an area from the stored streets around it (<see cref="BlockPlanning.Around"/>: a block reaching into the
    /// area may be closed by a street outside it), with the stored incidents counted in them: <see cref="BlockPlanning.Build"/>,
    /// as the CLI does on files.
    /// </summary>
    /// <exception cref="ArgumentException">No street of the area can bound a block (BlockBuilder's reason).</exception>
    public async Task<BlockSet> BuildAsync(Geometry area, CancellationToken ct)
    {
        var streets = await StreetsAroundAsync(area, ct);
        var incidents = await db.Incidents.Intersecting(i => i.Location, area).AsNoTracking().OrderBy(i => i.Id).Select(i => i.Location).ToListAsync(ct);
        // Buildings only where an OSM import loaded them (import-osm --buildings): none leaves the count at 0.
        var buildings = await db.Buildings.Intersecting(b => b.Geometry, area).AsNoTracking().OrderBy(b => b.Id).Select(b => (Geometry)b.Geometry).ToListAsync(ct);
        return BlockPlanning.Build(streets.Select(s => new StreetLine(s.Geometry, s.Class, s.Layer)).ToList(), area, incidents,
            buildings.Count > 0 ? buildings : null);
    }

    /// <summary>The stored streets that meet the box <see cref="BlockPlanning.Around"/> the area, ordered by id.</summary>
    public Task<List<Core.Domain.Street>> StreetsAroundAsync(Geometry area, CancellationToken ct, double margin = BlockPlanning.MarginDegrees) =>
        db.Streets.Intersecting(s => s.Geometry, BlockPlanning.Around(area, margin)).AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);

    /// <summary>Replaces the blocks of a scope in one transaction: readers see the old set or the new one, never a mix.</summary>
    public async Task ReplaceAsync(string scope, IReadOnlyList<Block> blocks, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Blocks.Where(b => EF.Property<string>(b, ScopeColumn) == scope).ExecuteDeleteAsync(ct);
        foreach (var block in blocks)
            db.Entry(block).Property(ScopeColumn).CurrentValue = scope;
        db.Blocks.AddRange(blocks);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>The blocks of a scope ordered by id; empty when none were computed.</summary>
    public Task<List<Block>> ListAsync(string scope, CancellationToken ct) =>
        db.Blocks.AsNoTracking().Where(b => EF.Property<string>(b, ScopeColumn) == scope).OrderBy(b => b.Id).ToListAsync(ct);
}
