using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Network;
using BarrioSeguro.Geo.Planning.Reports;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>A kept coverage computation with its report read back typed.</summary>
public sealed record KeptCoverage(PlanCoverage Row, CoverageReport Report);

/// <summary>Coverage computations of kept plans: one row per shift with the report and the covered, backup and uncovered pieces.</summary>
public sealed class CoverageStore(BarrioDbContext db)
{
    /// <summary>Keeps the computations (one per shift) of a plan.</summary>
    public async Task<List<KeptCoverage>> AddAsync(int planId, IReadOnlyList<CoverageOutcome> outcomes, CancellationToken ct)
    {
        var rows = outcomes.Select(o => new PlanCoverage
        {
            PlanId = planId, Mode = o.Report.Mode, Minutes = o.Report.Minutes, Shift = o.Report.Shift ?? "todos", Units = o.Report.Units,
            CreatedAt = DateTimeOffset.UtcNow, ReportJson = PlanningJson.Serialize(o.Report),
            Covered = Flat(o.Result.CoveredPieces()), Uncovered = Flat(o.Result.UncoveredPieces()), Backup = Flat(o.Result.BackupPieces()),
        }).ToList();
        db.PlanCoverages.AddRange(rows);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return rows.Zip(outcomes, (r, o) => new KeptCoverage(r, o.Report)).ToList();
    }

    /// <summary>The kept computations of a plan, newest first (without their pieces).</summary>
    public async Task<List<KeptCoverage>> ListAsync(int planId, CancellationToken ct) =>
        (await db.PlanCoverages.AsNoTracking().Where(c => c.PlanId == planId).OrderByDescending(c => c.Id).ToListAsync(ct))
        .Select(r => new KeptCoverage(r, ReportOf(r))).ToList();

    /// <summary>One computation with its pieces; null when there is none.</summary>
    public Task<PlanCoverage?> GetAsync(int id, CancellationToken ct) => db.PlanCoverages.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);

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

    // The columns are 2D: drop any Z the projections carried along.
    private static MultiLineString Flat(MultiLineString lines)
    {
        var f = new GeometryFactory(new PrecisionModel(), Crs.Wgs84);
        return f.CreateMultiLineString(Enumerable.Range(0, lines.NumGeometries)
            .Select(i => f.CreateLineString(lines.GetGeometryN(i).Coordinates.Select(c => new Coordinate(c.X, c.Y)).ToArray())).ToArray());
    }
}
