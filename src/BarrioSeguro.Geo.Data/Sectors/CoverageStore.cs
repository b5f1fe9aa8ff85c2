using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Network;
using BarrioSeguro.Geo.Planning.Reports;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>
/// A kept computation's street pieces as the map draws them: covered, backup and uncovered inside the neighbourhood,
/// and every piece outside it (the graph runs about 500 m beyond), all lon/lat.
/// </summary>
public sealed record CoveragePieces(string Shift, string Mode, double Minutes, Geometry Covered, Geometry Backup, Geometry Uncovered, Geometry Outside);

/// <summary>A kept coverage computation with its report read back typed.</summary>
public sealed record KeptCoverage(PlanCoverage Row, CoverageReport Report);

/// <summary>Coverage computations of kept plans: one row per shift with the report and the covered, backup and uncovered pieces.</summary>
public sealed class CoverageStore(BarrioDbContext db)
{
    /// <summary>Keeps the computations (one per shift) of a plan; <paramref name="timed"/>, when given, hears how long
    /// making the pieces and writing the rows took (milliseconds).</summary>
    public async Task<List<KeptCoverage>> AddAsync(int planId, IReadOnlyList<CoverageOutcome> outcomes, CancellationToken ct,
        Action<string, double>? timed = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The pieces come 2D in lon/lat (CoverageResult), as the columns are.
        var rows = outcomes.Select(o => new PlanCoverage
        {
            PlanId = planId, Mode = o.Report.Mode, Minutes = o.Report.Minutes, Shift = o.Report.Shift ?? "todos", Units = o.Report.Units,
            CreatedAt = DateTimeOffset.UtcNow, ReportJson = PlanningJson.Serialize(o.Report),
            Covered = o.Result.CoveredPieces(), Uncovered = o.Result.UncoveredPieces(), Backup = o.Result.BackupPieces(),
        }).ToList();
        timed?.Invoke("pieces", clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        db.PlanCoverages.AddRange(rows);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        timed?.Invoke("insert", clock.Elapsed.TotalMilliseconds);
        return rows.Zip(outcomes, (r, o) => new KeptCoverage(r, o.Report)).ToList();
    }

    /// <summary>The kept computations of a plan, newest first (without their pieces).</summary>
    public async Task<List<KeptCoverage>> ListAsync(int planId, CancellationToken ct) =>
        (await db.PlanCoverages.AsNoTracking().Where(c => c.PlanId == planId).OrderByDescending(c => c.Id).ToListAsync(ct))
        .Select(r => new KeptCoverage(r, ReportOf(r))).ToList();

    /// <summary>One computation with its pieces; null when there is none.</summary>
    public Task<PlanCoverage?> GetAsync(int id, CancellationToken ct) => db.PlanCoverages.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);

    /// <summary>
    /// One computation's pieces clipped by PostGIS to its plan's neighbourhood (ST_Intersection inside, ST_Difference
    /// outside: a street on the boundary is inside), so that streets beyond it are not shown as gaps of its coverage;
    /// null when there is no such computation. The boundary is the neighbourhood's current one, the one the
    /// computation measured its headline figures on (<see cref="PlanStore.NetworkInputAsync"/>).
    /// </summary>
    public async Task<CoveragePieces?> PiecesAsync(int id, CancellationToken ct)
    {
        const string sql = """
            SELECT c.shift, c.mode, c.minutes,
                   ST_Multi(ST_CollectionExtract(ST_Intersection(c.covered, n.boundary), 2)) AS covered,
                   ST_Multi(ST_CollectionExtract(ST_Intersection(c.backup, n.boundary), 2)) AS backup,
                   ST_Multi(ST_CollectionExtract(ST_Intersection(c.uncovered, n.boundary), 2)) AS uncovered,
                   ST_Multi(ST_CollectionExtract(ST_Collect(ST_Difference(c.covered, n.boundary), ST_Difference(c.uncovered, n.boundary)), 2)) AS outside
            FROM plan_coverages c
            JOIN sector_plans p ON p.id = c.plan_id
            JOIN neighborhoods n ON n.id = p.neighborhood_id
            WHERE c.id = @id
            """;
        var row = await db.Database.SqlQueryRaw<PiecesRow>(sql, new Npgsql.NpgsqlParameter("id", id)).FirstOrDefaultAsync(ct);
        return row is null ? null : new CoveragePieces(row.Shift, row.Mode, row.Minutes, row.Covered, row.Backup, row.Uncovered, row.Outside);
    }

    private sealed record PiecesRow(string Shift, string Mode, double Minutes, Geometry Covered, Geometry Backup, Geometry Uncovered, Geometry Outside);

    /// <exception cref="KeptInOlderShapeException">A report kept in another shape (by a build before the typed reports).</exception>
    public static CoverageReport ReportOf(PlanCoverage row)
    {
        try
        {
            return PlanningJson.Deserialize<CoverageReport>(row.ReportJson);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new KeptInOlderShapeException("Coverage", row.Id, e);
        }
    }
}
