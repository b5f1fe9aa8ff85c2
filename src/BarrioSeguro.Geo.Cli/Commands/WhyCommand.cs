using System.Globalization;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Planning.Sectors;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// <c>barrio why</c>: why a block is in its sector (<see cref="SectorPlanning.WhyHere"/>, the use case of
/// GET /api/plans/{planId}/blocks/{blockId}/why).
/// </summary>
public sealed class WhyCommand : ICommand
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public string Name => "why";

    public string Summary => "Why a block is in its sector: its centre, the next best sector, what moving it would do";

    public string Help => """
        Usage: barrio why --blocks BLOCKS --assignment ASSIGNED_BLOCKS --block ID [--weight FIELD[=W],...]
                          [--streets STREETS --mode foot|bike|moto|car | --speed KMH]
                          [--centres FILE|LON,LAT;... [--centre-names N,...]] [--units N,N,...] [--tolerance PCT]
                          [--plan REPORT.json] [--report WHY.json]

        Explains the place of one block in a plan: its sector's centre (fixed by --centres for sectors 0, 1, ...
        in order, else the sector's best block: the least workload-weighted travel to the rest) and the minutes
        from it, the other sector whose centre is nearest, and what moving the block to the nearest-centred
        sector it touches would do: whether its sector stays in one piece, both sectors' deviation from their
        targets, the largest deviation and the weighted travel (workload·min) before and after.

          --blocks FILE        the blocks the plan was made from (as for 'barrio sectorize')
          --assignment FILE    the blocks with their 'sector' attribute ('barrio sectorize --assignment')
          --block ID           the block to explain (its 'id')
          --weight, --streets, --mode, --speed, --centres, --centre-names, --units, --tolerance
                               as for 'barrio sectorize' (use the plan's own)
          --plan REPORT.json   the plan's report ('barrio sectorize --report'): its barriers (lines and links kept
                               across) are honoured: the next best sector is one reachable without crossing a
                               barrier, and a move across one is said to be refused
          --report FILE        JSON, camelCase, the shape of the service's answer: block, sector, label,
                               workload, measure, own and nextBest (sector, centreBlock, centreLon, centreLat,
                               centreFixed, minutes, touches), ifMoved (toSector, fromStaysContiguous,
                               from/to deviation before and after, maxDeviationPct before and after,
                               weightedMinutes before and after, withinTolerance), reasons, weights

        Prints the reasons. Exit codes: 0 done; 1 bad input (unknown block, a plan missing blocks, unreadable
        file); 2 bad command line.

        Example: barrio why --blocks manzanas.geojson --assignment manzanas_sector.gpkg --block m120
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--blocks", "--assignment", "--block", "--weight", "--streets", "--mode", "--speed",
            "--centres", "--centre-names", "--units", "--tolerance", "--report", "--plan", StreetInput.Option);
        parsed.NoPositionals();
        var blocksPath = parsed.Required("--blocks", "FILE");
        var assignmentPath = parsed.Required("--assignment", "ASSIGNED_BLOCKS");
        var blockId = parsed.Required("--block", "ID");
        var weights = SectorFiles.ParseWeights(parsed.Option("--weight"));
        var speed = 5.0;
        if (parsed.Option("--speed") is { } speedText
            && (!double.TryParse(speedText, NumberStyles.Float, Ci, out speed) || !(speed > 0) || speed > 200))
            throw new UsageException($"--speed must be km/h above 0 and at most 200, not '{speedText}'");
        var tolerance = 5.0;
        if (parsed.Option("--tolerance") is { } tolText
            && (!double.TryParse(tolText, NumberStyles.Float, Ci, out tolerance) || !(tolerance >= 0) || tolerance > 100))
            throw new UsageException($"--tolerance must be a percentage from 0 to 100, not '{tolText}'");
        List<double>? shares = null;
        if (parsed.Option("--units") is { } unitsText)
        {
            shares = [];
            foreach (var item in unitsText.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(item, NumberStyles.None, Ci, out var u) || u < 1 || u > 1000)
                    throw new UsageException($"--units must be whole numbers of units from 1 to 1000 per sector, not '{item}'");
                shares.Add(u);
            }
        }
        var streetsPath = parsed.Option("--streets");
        if (streetsPath is null && parsed.Option("--mode") is not null) throw new UsageException("--mode needs --streets FILE");
        var centres = parsed.Option("--centres") is { } centresText ? SectorFiles.ReadCentres(centresText, parsed.Option("--centre-names")).Points : null;

        var blocks = SectorFiles.ReadBlocks(blocksPath);
        var assignment = SectorFiles.ReadAssignment(assignmentPath, "plan");
        StreetGraph? streets = null;
        if (streetsPath is not null)
        {
            var mode = parsed.Mode();
            try { streets = StreetGraph.Build(StreetLines.Network(StreetInput.Read(streetsPath, parsed, context)), mode); }
            catch (ArgumentException e) { throw new CommandFailedException($"streets {Path.GetFileName(streetsPath)}: {e.Message.Split(" (Parameter")[0].ReplaceLineEndings(" ")}", e); }
        }
        BarrierFigures? barriers = null;
        if (parsed.Option("--plan") is { } planPath)
        {
            try { barriers = PlanningJson.Deserialize<SectorPlanReport>(File.ReadAllText(planPath)).Barriers; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                throw new CommandFailedException($"plan {Path.GetFileName(planPath)}: not a readable sectorize report ({e.Message.ReplaceLineEndings(" ")})", e);
            }
        }
        WhyHereReport report;
        try
        {
            report = SectorPlanning.WhyHere(blocks.Units(), assignment, blockId, weights,
                new ExplainOptions
                {
                    Streets = streets, StraightLineKmh = speed, Centres = centres, SectorShares = shares, TolerancePct = tolerance,
                    Barriers = barriers?.Paths?.Select(b => b.ToBarrier()).ToList(), KeptLinks = barriers?.Kept,
                });
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
        if (parsed.Option("--report") is { } reportPath) SectorFiles.WriteJson(reportPath, report);
        context.Out.WriteLine(string.Create(Ci, $"Block {report.Block} is in {report.Label} ({report.Measure}):"));
        foreach (var reason in report.Reasons) context.Out.WriteLine("  " + reason);
        return ExitCodes.Ok;
    }
}
