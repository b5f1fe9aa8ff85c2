using BarrioSeguro.Geo.Core.Blocks;
using Microsoft.EntityFrameworkCore;

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
