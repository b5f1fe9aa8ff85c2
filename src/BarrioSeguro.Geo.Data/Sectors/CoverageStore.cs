using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Network;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Core.Network;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>
/// A kept computation's street pieces as the map draws them: covered, backup and uncovered inside the neighbourhood,
/// and every piece outside it (the graph runs about 500 m beyond), all lon/lat.
/// </summary>
public sealed record CoveragePieces(string Shift, string Mode, double Minutes, Geometry Covered, Geometry Backup, Geometry Uncovered, Geometry Outside);

/// <summary>A kept coverage computation (without its pieces) with its report read back typed.</summary>
public sealed record KeptCoverage(int Id, int PlanId, string Mode, double Minutes, string Shift, int Units, CoverageReport Report);

/// <summary>Coverage computations of kept plans: one row per shift with the report and the covered, backup and uncovered pieces.</summary>
public sealed class CoverageStore(BarrioDbContext db)
{
    // The pieces go as WKB (bytea, binary) straight from the search's edges: no NTS geometry per piece, no change
    // tracking of multi-MB values. The column names are the model's (plan_coverages, snake case).
    private const string Insert = """
        INSERT INTO plan_coverages (plan_id, mode, minutes, shift, units, created_at, report_json, covered, uncovered, backup)
        VALUES ($1, $2, $3, $4, $5, $6, $7, ST_GeomFromWKB($8, 4326), ST_GeomFromWKB($9, 4326), ST_GeomFromWKB($10, 4326))
        RETURNING id
        """;

    /// <summary>Keeps the computations (one per shift) of a plan, all or none (one transaction, the caller's when
    /// there is one); <paramref name="timed"/>, when given, hears how long encoding the pieces and writing the rows
    /// took (milliseconds).</summary>
    public async Task<List<KeptCoverage>> AddAsync(int planId, IReadOnlyList<CoverageOutcome> outcomes, CancellationToken ct,
        Action<string, double>? timed = null)
    {
        var clock = new System.Diagnostics.Stopwatch();
        double piecesMs = 0, insertMs = 0;
        var kept = new List<KeptCoverage>(outcomes.Count);
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        foreach (var o in outcomes)
        {
            clock.Restart();
            // The pieces come 2D in lon/lat (CoverageResult), as the columns are.
            using var covered = Wkb(o.Result, CoveragePiece.Covered);
            using var uncovered = Wkb(o.Result, CoveragePiece.Uncovered);
            using var backup = Wkb(o.Result, CoveragePiece.Backup);
            piecesMs += clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var shift = o.Report.Shift ?? "todos";
            await using var insert = new NpgsqlCommand(Insert, connection)
            {
                Parameters =
                {
                    new NpgsqlParameter<int> { TypedValue = planId },
                    new NpgsqlParameter<string> { TypedValue = o.Report.Mode },
                    new NpgsqlParameter<double> { TypedValue = o.Report.Minutes },
                    new NpgsqlParameter<string> { TypedValue = shift },
                    new NpgsqlParameter<int> { TypedValue = o.Report.Units },
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = DateTimeOffset.UtcNow },
                    new NpgsqlParameter<string> { TypedValue = PlanningJson.Serialize(o.Report), NpgsqlDbType = NpgsqlDbType.Jsonb },
                    new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = covered.Bytes, NpgsqlDbType = NpgsqlDbType.Bytea },
                    new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = uncovered.Bytes, NpgsqlDbType = NpgsqlDbType.Bytea },
                    new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = backup.Bytes, NpgsqlDbType = NpgsqlDbType.Bytea },
                },
            };
            var id = (int)(await insert.ExecuteScalarAsync(ct))!;
            kept.Add(new KeptCoverage(id, planId, o.Report.Mode, o.Report.Minutes, shift, o.Report.Units, o.Report));
            insertMs += clock.Elapsed.TotalMilliseconds;
        }
        clock.Restart();
        if (tx is not null) await tx.CommitAsync(ct);
        insertMs += clock.Elapsed.TotalMilliseconds;
        timed?.Invoke("pieces", piecesMs);
        timed?.Invoke("insert", insertMs);
        return kept;
    }

    private static LineStringsWkb Wkb(CoverageResult result, CoveragePiece kind)
    {
        var wkb = new LineStringsWkb();
        result.ReadPieces(kind, wkb.Add);
        return wkb;
    }

    /// <summary>The kept computations of a plan, newest first (without their pieces).</summary>
    public async Task<List<KeptCoverage>> ListAsync(int planId, CancellationToken ct) =>
        (await db.PlanCoverages.AsNoTracking().Where(c => c.PlanId == planId).OrderByDescending(c => c.Id)
            .Select(c => new { c.Id, c.PlanId, c.Mode, c.Minutes, c.Shift, c.Units, c.ReportJson }).ToListAsync(ct))
        .Select(r => new KeptCoverage(r.Id, r.PlanId, r.Mode, r.Minutes, r.Shift, r.Units, ReportOf(r.Id, r.ReportJson))).ToList();

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
    private static CoverageReport ReportOf(int id, string json)
    {
        try
        {
            return PlanningJson.Deserialize<CoverageReport>(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new KeptInOlderShapeException("Coverage", id, e);
        }
    }
}
