using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.Planning.Reports;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// <c>barrio evaluate</c>: the figures of any plan, computed or drawn by hand, with <see cref="PlanEvaluator"/>.
/// </summary>
public sealed class EvaluateCommand : ICommand
{
    public string Name => "evaluate";

    public string Summary => "Figures of a sector plan (computed or hand-drawn): balance, contiguity, compactness";

    public string Help => """
        Usage: barrio evaluate --blocks BLOCKS --plan PLAN --report REPORT.json
                               [--weight FIELD[=W],...] [--previous PLAN] [--attach-uncovered yes] [--out SECTORS]
                               [--moves MOVES.json]

        Measures a plan the way 'barrio sectorize' measures its own: workload per sector and the largest
        deviation from the mean, contiguity, Polsby-Popper, area, islands, churn against --previous.

        PLAN is either
          - an assigned-blocks file: one feature per block with 'id' and 'sector' attributes (what
            'barrio sectorize --assignment' writes); recognised when every feature's id names a block, or
          - sector polygons drawn by hand with a 'sector' attribute (a number, or a name: names are numbered
            0, 1, ... in the order they first appear). Each block goes to the drawn sector covering the
            largest share of its area; blocks outside every drawn sector are an error unless
            --attach-uncovered yes (then they go to the nearest).

        Options:
          --blocks FILE        the blocks, as for sectorize ('id' attribute; B0, B1, ... when missing)
          --plan FILE          the plan (see above)
          --report FILE        JSON, camelCase: the same figures as sectorize (seed is 0), plus weights,
                               notes and parameters (input files with their SHA-256)
          --weight F[=W],...   workload terms. Default: incidents × 1 (when present) + frontage_m × 0.01
          --previous PLAN      an assigned-blocks file to count churn against
          --attach-uncovered yes|no   see above. Default: no
          --out FILE           also write the sectors (union of their blocks) with their figures
          --moves FILE         blocks painted into other sectors, as POST /api/plans/{id}/evaluate takes them:
                               {"moves": {"<block id>": sector, ...}, "locks": {"blocks": [...], "sectors": [...]}};
                               a move that splits or empties a sector or touches a lock is refused (exit 1);
                               churn is then against PLAN (unless --previous)

        Exit codes: 0 done; 1 bad input (unknown attribute, blocks outside the drawn sectors, unreadable
        file); 2 bad command line.

        Example: barrio evaluate --blocks manzanas.zip --plan sectores_a_mano.geojson --report auditoria.json
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var clock = Stopwatch.StartNew();
        var parsed = CommandArgs.Parse(args, "--blocks", "--plan", "--report", "--weight", "--previous", "--attach-uncovered", "--out", "--moves");
        parsed.NoPositionals();
        var blocksPath = parsed.Required("--blocks", "FILE");
        var planPath = parsed.Required("--plan", "FILE");
        var reportPath = parsed.Required("--report", "REPORT.json");
        var attach = parsed.Option("--attach-uncovered") switch
        {
            null or "no" => false,
            "yes" => true,
            var other => throw new UsageException($"--attach-uncovered must be yes or no, not '{other}'"),
        };
        var weights = SectorFiles.ParseWeights(parsed.Option("--weight"));

        var blocks = SectorFiles.ReadBlocks(blocksPath);
        var (units, usedWeights) = SectorFiles.Weigh(blocks, weights);
        context.Out.WriteLine($"workload: {SectorFiles.Describe(usedWeights)}{(weights is null ? " (default)" : "")}");
        var notes = new List<Note>(blocks.Notes);
        var (assignment, kind) = ReadPlan(planPath, blocks, units, attach, notes);
        var previous = parsed.Option("--previous") is { } previousPath ? SectorFiles.ReadAssignment(previousPath, "previous plan") : null;

        var movesPath = parsed.Option("--moves");
        (IReadOnlyDictionary<string, int> Moves, PlanLocks? Locks)? painted = movesPath is null ? null : ReadMoves(movesPath);
        PlanReport report;
        try
        {
            if (painted is { } edit)
            {
                var result = PlanEdits.Evaluate(units, assignment, edit.Moves, edit.Locks);
                report = previous is null ? result.Report : PlanEvaluator.Evaluate(units, result.Assignment, previous);
                context.Out.WriteLine($"moves: {result.Moved.Count} block(s) painted into another sector");
            }
            else report = PlanEvaluator.Evaluate(units, assignment, previous);
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
        notes.AddRange(report.Notes);

        var json = SectorPlanReport.From(report, units.Count, null, usedWeights, notes) with
        {
            PlanKind = kind,
            Parameters = new SectorPlanParameters
            {
                Command = "evaluate",
                K = report.Sectors.Count,
                Weights = usedWeights,
                AttachUncovered = attach,
                BlocksFile = Path.GetFileName(blocksPath),
                BlocksSha256 = SectorFiles.Sha256(blocksPath),
                PlanFile = Path.GetFileName(planPath),
                PlanSha256 = SectorFiles.Sha256(planPath),
                PreviousFile = parsed.Option("--previous") is { } p ? Path.GetFileName(p) : null,
                PreviousSha256 = parsed.Option("--previous") is { } p2 ? SectorFiles.Sha256(p2) : null,
                Moves = painted?.Moves,
                LockedSectors = painted?.Locks?.Sectors,
            },
        };
        if (parsed.Option("--out") is { } outPath)
        {
            var written = SectorFiles.Write(outPath, SectorFiles.SectorFeatures(report), Crs.Wgs84);
            context.Out.WriteLine($"Wrote {written.FeatureCount} sectors to {Path.GetFileName(outPath)} ({Crs.NameOf(written.Epsg)})");
        }
        SectorFiles.WriteJson(reportPath, json with { TotalElapsedMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1) });
        foreach (var note in notes) context.Out.WriteLine("  " + note);
        context.Out.WriteLine($"plan: {(kind == "assigned" ? "assigned blocks" : "drawn sectors, blocks assigned by largest share")}; report written to {Path.GetFileName(reportPath)}");
        context.Out.WriteLine(SectorFiles.Summary(report, clock.Elapsed.TotalSeconds));
        return ExitCodes.Ok;
    }

    private sealed record MovesFile(Dictionary<string, int>? Moves, PlanLocks? Locks);

    /// <summary>The moves file: the body of POST /api/plans/{id}/evaluate.</summary>
    private static (IReadOnlyDictionary<string, int> Moves, PlanLocks? Locks) ReadMoves(string path)
    {
        MovesFile? file;
        try
        {
            file = System.Text.Json.JsonSerializer.Deserialize<MovesFile>(File.ReadAllText(path), Planning.PlanningJson.Options);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"moves {Path.GetFileName(path)}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        if (file?.Moves is null)
            throw new CommandFailedException($"moves {Path.GetFileName(path)}: expected {{\"moves\": {{\"<block id>\": sector, ...}}}}");
        return (file.Moves, file.Locks);
    }

    private static (IReadOnlyDictionary<string, int> Assignment, string Kind) ReadPlan(
        string path, BlockFile blocks, IReadOnlyList<SectorUnit> units, bool attach, List<Note> notes)
    {
        var set = SectorFiles.ReadVector(path, "plan");
        if (set.Count == 0) throw new CommandFailedException($"plan {Path.GetFileName(path)}: no features");
        var blockIds = new HashSet<string>(blocks.Ids, StringComparer.Ordinal);
        var ids = set.Features.Select(SectorFiles.IdOf).ToList();
        if (ids.All(id => id is not null && blockIds.Contains(id)))
            return (SectorFiles.ReadAssignment(path, "plan"), "assigned");

        // Drawn sectors: numbers as they are, or names numbered in order of appearance.
        var labels = set.Features.Select(f => SectorFiles.ValueOf(f, "sector")).ToList();
        if (labels.Any(l => l is null))
            throw new CommandFailedException(
                $"plan {Path.GetFileName(path)}: every feature needs a 'sector' attribute (drawn sectors), or an 'id' naming a block and a 'sector' (assigned blocks)");
        var numbers = labels.Select(SectorFiles.SectorNumber).ToList();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        if (numbers.Any(n => n is null or < 0))
        {
            foreach (var l in labels) names.TryAdd(Convert.ToString(l, CultureInfo.InvariantCulture)!, names.Count);
            numbers = labels.Select(l => (int?)names[Convert.ToString(l, CultureInfo.InvariantCulture)!]).ToList();
            notes.Add(Note.Of("sectors.numbered", ("pairs", names.Select(n => $"{n.Key} = {n.Value}"))));
        }
        var wgs = set.Epsg == Crs.Wgs84 ? set.Features : FeatureTransform.To(set.Features, set.Epsg, Crs.Wgs84);
        var drawn = new List<(int, Geometry)>();
        for (var i = 0; i < wgs.Count; i++)
        {
            if (wgs[i].Geometry is not (Polygon or MultiPolygon) || wgs[i].Geometry.IsEmpty)
                throw new CommandFailedException($"plan {Path.GetFileName(path)}: feature {i} is a {wgs[i].Geometry?.GeometryType ?? "feature without geometry"}; drawn sectors must be polygons");
            drawn.Add((numbers[i]!.Value, wgs[i].Geometry));
        }
        try
        {
            return (PlanEvaluator.AssignByLargestShare(units, drawn, attach), "drawn");
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
    }
}
