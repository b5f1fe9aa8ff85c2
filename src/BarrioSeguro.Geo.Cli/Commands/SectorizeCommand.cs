using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Planning.Sectors;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// <c>barrio sectorize</c>: splits a block file into contiguous, workload-balanced, compact patrol sectors with
/// <see cref="Sectorizer.Partition"/>, and writes the sectors, the blocks with their sector and a JSON report.
/// </summary>
public sealed class SectorizeCommand : ICommand
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public string Name => "sectorize";

    public string Summary => "Split blocks into balanced, contiguous, compact patrol sectors";

    public string Help => """
        Usage: barrio sectorize --blocks BLOCKS (--sectors K | --contingent CONTINGENT.json | --units N,N,...)
                                --out SECTORS --assignment ASSIGNED_BLOCKS --report REPORT.json
                                [--weight FIELD[=W],...] [--seed N] [--lock ID=SECTOR,... | --lock @FILE.csv]
                                [--previous PLAN] [--islands attach|own|refuse] [--tolerance PCT] [--budget SECONDS]
                                [--objective compactness|response] [--centres FILE|LON,LAT;... [--centre-names N,...]]
                                [--streets STREETS --mode foot|bike|moto|car | --speed KMH] [--compactness W] [--polish SECONDS]
                                [--barriers LINES] [--barrier-classes CLASS,...]

        Splits the blocks (manzanas) into K patrol sectors: every sector is contiguous (its blocks share
        edges), the workloads are balanced within the tolerance, and within it the sectors are made as
        compact as possible. The same blocks, options and seed give the same plan. Sectors are numbered
        0 to K-1. How it works: src/BarrioSeguro.Geo.Core/Sectors/README.md.

        Files are GeoJSON, GeoPackage, shapefile or zipped shapefile, by extension, in any supported CRS.

        Input:
          --blocks FILE        polygons, one per block, e.g. from 'barrio blocks' (a multipolygon is one unit in
                               several pieces, kept in one sector). The 'id' attribute names each block
                               (blocks without one are named B0, B1, ... by their place in the file)
          --sectors K          the number of sectors, 1 to the number of blocks
          --contingent FILE    JSON; K = the sectors the weakest shift can staff (the arithmetic is printed):
                               {"officers":20,"shifts":[{"name":"mañana","hours":8},...],"availability":0.85,
                                "mode":"foot","crew":2,"jointUnits":1}   or   {"officers":20,"shifts":3}
                               availability defaults to 1, mode to foot (bike, moto, car), crew to 2,
                               jointUnits (serenazgo units per shift) to 0; "sectors" fixes K; other members
                               are ignored
          --units N,N,...      patrol units staffing each sector (sector 0 first); K = their count and each
                               sector's workload target is its share: a sector of 2 pairs takes twice the work
                               of one pair (with --contingent, a shift short of units is named)
          --weight F[=W],...   workload = Σ W × attribute F of the block (W defaults to 1, must be ≥ 0).
                               Default: incidents × 1 (when the blocks have it) + frontage_m × 0.01
                               (100 m of street frontage count like one incident)
          --seed N             seed of the random choices. Default: 1
          --lock ...           blocks that must stay in a sector: ID=SECTOR,... or @FILE.csv (lines
                               "id,sector"; a header line is skipped). The locked blocks of a sector must be
                               connected
          --previous PLAN      a previous assigned-blocks file (id and sector attributes): the plan stays
                               close to it and the report counts the blocks that changed sector (churn)
          --islands MODE       blocks that share no edge with the rest: attach (default: joined to the nearest
                               sector, named in the report as contiguous only by necessity), own (a sector of
                               their own, counted among the K) or refuse (an error naming them)
          --tolerance PCT      balance tolerance, largest |workload − mean| / mean. Default: 5
          --budget SECONDS     time for further attempts after the first (6 in all). Default: 30; when it
                               cuts attempts the report says so (the plan could differ on another machine)

          --objective OBJ      what decides within the tolerance: compactness (default: the shortest boundary
                               between sectors) or response (the least workload-weighted travel from each
                               sector's centre to its blocks, a p-median; the boundary breaks ties)
          --centres ...        centres fixed for sectors 0, 1, ... in order: a point file (comisarías, bases;
                               --centre-names picks features by their name attribute, in that order) or
                               LON,LAT;LON,LAT. Fewer than K: the search chooses the other centres
          --streets FILE       street lines (an OSM highway or class attribute): travel is timed on the network
                               of --mode; without it, straight-line at --speed (default 5 km/h, on foot)
          --compactness W      response: workload·minutes one km of boundary counts. Default 0 (ties only)
          --polish SECONDS     response: then an exact polish on SCIP (p-median with balance and contiguity over
                               the plan's centres) for up to SECONDS; the report gives its bound and gap
          --barriers FILE      lines no sector may cross (main roads, rivers, rail; any format and CRS, the
                               'name' attribute names each): two blocks whose link runs across a line are not
                               neighbours. A part of the area cut off with too little work for a sector keeps
                               its longest link across, named in the report
          --barrier-classes C,...  the streets of --streets of these highway classes (e.g. trunk,primary) are
                               barriers too

        Output:
          --out FILE           one polygon per sector (the union of its blocks): sector, workload, blocks,
                               area_km2, pp (Polsby-Popper), contig (contiguous)
          --assignment FILE    the blocks as read with a 'sector' attribute (and 'id' where it was missing)
          --report FILE        JSON, camelCase, the shape of the service's plan report: sectors[] (id, label,
                               workload, blocks, areaKm2, polsbyPopper, contiguous), k, blocks, totalWorkload,
                               maxDeviationPct, balanceBoundPct, contiguous, meanPolsbyPopper, seed, churn (with
                               --previous), islands, elapsedMs, staffing (sectorsPerShift, perShift[], explanation[]),
                               weights, notes, parameters (seed, k, weights, islands, locks, tolerance,
                               input files with their SHA-256) to reproduce the plan,
                               objective, travel (measure, totalWeightedMinutes, meanMinutes, worstMinutes,
                               totalWeightedKm in a straight line, sectors[]: centre, weighted, mean and worst minutes),
                               barriers (lines, linksCut, linksKept, parts, sectorsPerPart, kept[]: blockA,
                               blockB, barrier)

        Prints the weights and staffing used, then one line: sectors, max deviation, contiguity, mean
        Polsby-Popper and time. Exit codes: 0 done; 1 bad input (unknown attribute, zero total workload,
        more sectors than blocks, refused islands, unreadable file); 2 bad command line (missing or
        malformed option, negative weight).

        Example: barrio sectorize --blocks manzanas.zip --contingent geodata/sample/el_milagro_contingent.json \
                   --out sectores.geojson --assignment manzanas_sector.gpkg --report plan.json
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var clock = Stopwatch.StartNew();
        var parsed = CommandArgs.Parse(args, "--blocks", "--sectors", "--contingent", "--weight", "--seed", "--lock", "--previous",
            "--out", "--assignment", "--report", "--islands", "--tolerance", "--budget", "--objective", "--centres", "--centre-names",
            "--streets", "--mode", "--speed", "--compactness", "--units", "--polish", "--barriers", "--barrier-classes", StreetInput.Option);
        parsed.NoPositionals();
        var blocksPath = parsed.Required("--blocks", "FILE");
        var outPath = parsed.Required("--out", "SECTORS");
        var assignmentPath = parsed.Required("--assignment", "ASSIGNED_BLOCKS");
        var reportPath = parsed.Required("--report", "REPORT.json");
        var sectorsText = parsed.Option("--sectors");
        var contingentPath = parsed.Option("--contingent");
        var unitsText = parsed.Option("--units");
        List<int>? sectorUnits = null;
        if (unitsText is not null)
        {
            if (sectorsText is not null) throw new UsageException("give --sectors K or --units N,N,..., not both");
            sectorUnits = [];
            foreach (var item in unitsText.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(item, NumberStyles.None, Ci, out var u) || u < 1 || u > 1000)
                    throw new UsageException($"--units must be whole numbers of units from 1 to 1000 per sector, not '{item}'");
                sectorUnits.Add(u);
            }
        }
        else if (sectorsText is null == contingentPath is null)
            throw new UsageException(sectorsText is null ? "give --sectors K or --contingent FILE" : "give either --sectors or --contingent, not both");
        int? sectorsOption = null;
        if (sectorsText is not null)
        {
            if (!int.TryParse(sectorsText, NumberStyles.None, Ci, out var k) || k < 1)
                throw new UsageException($"--sectors must be a whole number of 1 or more, not '{sectorsText}'");
            sectorsOption = k;
        }
        var seed = 1;
        if (parsed.Option("--seed") is { } seedText && !int.TryParse(seedText, NumberStyles.AllowLeadingSign, Ci, out seed))
            throw new UsageException($"--seed must be a whole number, not '{seedText}'");
        var islands = parsed.Option("--islands") switch
        {
            null or "attach" => IslandPolicy.AttachToNearest,
            "own" => IslandPolicy.OwnSector,
            "refuse" => IslandPolicy.Refuse,
            var other => throw new UsageException($"--islands must be attach, own or refuse, not '{other}'"),
        };
        var tolerance = 5.0;
        if (parsed.Option("--tolerance") is { } tolText
            && (!double.TryParse(tolText, NumberStyles.Float, Ci, out tolerance) || !(tolerance >= 0) || tolerance > 100))
            throw new UsageException($"--tolerance must be a percentage from 0 to 100, not '{tolText}'");
        var budget = 30.0;
        if (parsed.Option("--budget") is { } budgetText
            && (!double.TryParse(budgetText, NumberStyles.Float, Ci, out budget) || !(budget >= 0) || budget > 86400))
            throw new UsageException($"--budget must be seconds from 0 to 86400, not '{budgetText}'");
        var weights = SectorFiles.ParseWeights(parsed.Option("--weight"));
        var locks = ParseLocks(parsed.Option("--lock"));
        SectorObjective objective;
        try { objective = SectorPlanning.ObjectiveOf(parsed.Option("--objective")); }
        catch (ArgumentException e) { throw new UsageException("--" + e.Message.TrimEnd('.')); }
        var speed = 5.0;
        if (parsed.Option("--speed") is { } speedText
            && (!double.TryParse(speedText, NumberStyles.Float, Ci, out speed) || !(speed > 0) || speed > 200))
            throw new UsageException($"--speed must be km/h above 0 and at most 200, not '{speedText}'");
        var compactness = 0.0;
        if (parsed.Option("--compactness") is { } cText
            && (!double.TryParse(cText, NumberStyles.Float, Ci, out compactness) || !(compactness >= 0) || !double.IsFinite(compactness)))
            throw new UsageException($"--compactness must be a number of 0 or more, not '{cText}'");
        var polishSeconds = 0.0;
        if (parsed.Option("--polish") is { } polishText
            && (!double.TryParse(polishText, NumberStyles.Float, Ci, out polishSeconds) || !(polishSeconds > 0) || polishSeconds > 3600))
            throw new UsageException($"--polish must be seconds above 0 and at most 3600, not '{polishText}'");
        if (polishSeconds > 0 && objective != SectorObjective.Response) throw new UsageException("--polish needs --objective response");
        var streetsPath = parsed.Option("--streets");
        if (streetsPath is not null && parsed.Option("--speed") is not null)
            throw new UsageException("give --streets (network travel) or --speed (straight line), not both");
        TravelMode? mode = streetsPath is null ? null : parsed.Mode();
        if (streetsPath is null && parsed.Option("--mode") is not null) throw new UsageException("--mode needs --streets FILE");
        if (parsed.Option("--centre-names") is not null && parsed.Option("--centres") is null) throw new UsageException("--centre-names needs --centres FILE");
        (IReadOnlyList<NetTopologySuite.Geometries.Point> Points, string? File)? centres =
            parsed.Option("--centres") is { } centresText ? SectorFiles.ReadCentres(centresText, parsed.Option("--centre-names")) : null;
        var barriersPath = parsed.Option("--barriers");
        List<string>? barrierClasses = null;
        if (parsed.Option("--barrier-classes") is { } classesText)
        {
            barrierClasses = classesText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            if (barrierClasses.Count == 0) throw new UsageException("--barrier-classes names no street class");
            if (streetsPath is null) throw new UsageException("--barrier-classes needs --streets FILE (the streets whose highway class is matched)");
        }
        StreetGraph? streets = null;
        List<NetworkStreet>? streetLines = null;
        if (streetsPath is not null)
        {
            streetLines = StreetLines.Network(StreetInput.Read(streetsPath, parsed, context));
            try { streets = StreetGraph.Build(streetLines, mode!.Value); }
            catch (ArgumentException e) { throw new CommandFailedException($"streets {Path.GetFileName(streetsPath)}: {e.Message.Split(" (Parameter")[0].ReplaceLineEndings(" ")}", e); }
        }
        List<SectorBarrier>? barriers = null;
        if (barriersPath is not null)
        {
            var lines = StreetLines.Network(StreetInput.Read(barriersPath, parsed, context));
            if (lines.Count == 0) throw new CommandFailedException($"barriers {Path.GetFileName(barriersPath)}: the file has no lines");
            barriers = lines.Select((l, i) => new SectorBarrier(l.Name ?? $"{Path.GetFileName(barriersPath)} #{i + 1}", l.Geometry)).ToList();
        }
        if (barrierClasses is not null)
        {
            try { (barriers ??= []).AddRange(SectorBarrier.FromStreets(streetLines!, barrierClasses)); }
            catch (ArgumentException e) { throw new CommandFailedException($"--barrier-classes: {e.Message}", e); }
        }

        // Inputs.
        var blocks = SectorFiles.ReadBlocks(blocksPath);
        Staffing? staffing = null;
        if (contingentPath is not null)
        {
            var contingent = ContingentFile.Read(contingentPath);
            try
            {
                staffing = SectorPlanning.Staff(contingent);
            }
            catch (ArgumentException e)
            {
                throw new CommandFailedException($"contingent {Path.GetFileName(contingentPath)}: {CliText.Of(e)}", e);
            }
            foreach (var line in staffing.Explanation) context.Out.WriteLine("staffing: " + line);
            if (staffing.SectorsPerShift < 1)
                throw new CommandFailedException($"contingent {Path.GetFileName(contingentPath)}: the contingent staffs no sector around the clock");
        }
        var (_, usedWeights) = SectorFiles.Weigh(blocks, weights);
        context.Out.WriteLine($"workload: {SectorFiles.Describe(usedWeights)}{(weights is null ? " (default)" : "")}");
        var previous = parsed.Option("--previous") is { } previousPath ? SectorFiles.ReadAssignment(previousPath, "previous plan") : null;

        var request = new SectorPlanRequest
        {
            Sectors = sectorsOption, Staffing = staffing, Weights = usedWeights, Seed = seed, Islands = islands, TolerancePct = tolerance,
            TimeBudget = TimeSpan.FromSeconds(budget), Locks = locks, Previous = previous,
            SectorUnits = sectorUnits, PolishSeconds = polishSeconds, Objective = objective, Centres = centres?.Points, Streets = streets, StraightLineKmh = speed, CompactnessWeight = compactness,
            Barriers = barriers,
        };
        SectorPlanOutcome outcome;
        using (var bar = ProgressBar.ForStderr(context))
        {
            try
            {
                outcome = SectorPlanning.Plan(blocks.Units(), request, blocks.Notes, bar);
            }
            catch (ArgumentException e)
            {
                throw new CommandFailedException(CliText.Of(e), e);
            }
        }
        var plan = outcome.Plan;
        var report = plan.Report;

        // Outputs.
        var json = outcome.Report with
        {
            Parameters = new SectorPlanParameters
            {
                Command = "sectorize",
                Seed = seed,
                K = outcome.Report.K,
                Weights = usedWeights,
                Islands = SectorPlanning.NameOf(islands),
                TolerancePct = tolerance,
                BudgetSeconds = budget,
                Attempts = outcome.Attempts,
                Locks = locks is null ? null : new SortedDictionary<string, int>(locks, StringComparer.Ordinal),
                BlocksFile = Path.GetFileName(blocksPath),
                BlocksSha256 = SectorFiles.Sha256(blocksPath),
                ContingentFile = contingentPath is null ? null : Path.GetFileName(contingentPath),
                ContingentSha256 = contingentPath is null ? null : SectorFiles.Sha256(contingentPath),
                PreviousFile = parsed.Option("--previous") is { } p ? Path.GetFileName(p) : null,
                PreviousSha256 = parsed.Option("--previous") is { } p2 ? SectorFiles.Sha256(p2) : null,
                Version = typeof(SectorizeCommand).Assembly.GetName().Version?.ToString(),
                Objective = SectorPlanning.NameOf(objective),
                SectorUnits = sectorUnits,
                PolishSeconds = polishSeconds > 0 ? polishSeconds : null,
                Mode = mode?.Name(),
                StraightLineKmh = streets is null ? speed : null,
                CompactnessWeight = objective == SectorObjective.Response ? compactness : null,
                Centres = centres?.Points.Select(p => new[] { p.X, p.Y }).ToList(),
                CentreNames = parsed.Option("--centre-names") is { } cn
                    ? cn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(x => (string?)x).ToList() : null,
                CentresFile = centres?.File is { } cf ? Path.GetFileName(cf) : null,
                CentresSha256 = centres?.File is { } cf2 ? SectorFiles.Sha256(cf2) : null,
                StreetsFile = streetsPath is null ? null : Path.GetFileName(streetsPath),
                StreetsSha256 = streetsPath is null ? null : SectorFiles.Sha256(streetsPath),
                BarrierClasses = barrierClasses,
                BarriersFile = barriersPath is null ? null : Path.GetFileName(barriersPath),
                BarriersSha256 = barriersPath is null ? null : SectorFiles.Sha256(barriersPath),
            },
        };

        var sectorsWritten = SectorFiles.Write(outPath, SectorFiles.SectorFeatures(report), Crs.Wgs84);
        var blocksWritten = SectorFiles.Write(assignmentPath, SectorFiles.AssignedFeatures(blocks, plan.Assignment), blocks.Epsg);
        SectorFiles.WriteJson(reportPath, json with { TotalElapsedMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1) });

        foreach (var note in json.Notes) context.Out.WriteLine("  " + note);
        context.Out.WriteLine(string.Create(Ci,
            $"Wrote {sectorsWritten.FeatureCount} sectors to {Path.GetFileName(outPath)} ({Crs.NameOf(sectorsWritten.Epsg)}), " +
            $"{blocksWritten.FeatureCount:N0} blocks to {Path.GetFileName(assignmentPath)}, the report to {Path.GetFileName(reportPath)}"));
        context.Out.WriteLine(SectorFiles.Summary(report, report.ElapsedMs / 1000));
        if (report.Travel is { } travel) context.Out.WriteLine(SectorFiles.TravelLine(travel));
        return ExitCodes.Ok;
    }

    /// <summary><c>ID=SECTOR,...</c> or <c>@FILE.csv</c> (lines "id,sector", an optional header).</summary>
    internal static Dictionary<string, int>? ParseLocks(string? text)
    {
        if (text is null) return null;
        IEnumerable<string> items;
        var fromFile = text.StartsWith('@');
        if (fromFile)
        {
            var path = text[1..];
            try
            {
                items = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandFailedException($"--lock {path}: {(e is FileNotFoundException ? "file not found" : e.Message)}", e);
            }
        }
        else items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        var locks = new Dictionary<string, int>(StringComparer.Ordinal);
        var first = true;
        foreach (var item in items)
        {
            var parts = fromFile ? item.Split([',', ';', '\t']) : item.Split('=');
            var isHeader = fromFile && first && parts.Length == 2 && !int.TryParse(parts[1].Trim(), NumberStyles.Integer, Ci, out _);
            first = false;
            if (isHeader) continue;
            if (parts.Length != 2 || parts[0].Trim().Length == 0 || !int.TryParse(parts[1].Trim(), NumberStyles.Integer, Ci, out var sector) || sector < 0)
                throw new UsageException(fromFile
                    ? $"--lock {text[1..]}: '{item}' is not 'id,sector' with a sector number of 0 or more"
                    : $"--lock: '{item}' is not BLOCKID=SECTOR with a sector number of 0 or more");
            var id = parts[0].Trim().Trim('"');
            if (locks.TryGetValue(id, out var other) && other != sector)
                throw new UsageException($"--lock: block '{id}' is locked to {other} and to {sector}");
            locks[id] = sector;
        }
        if (locks.Count == 0) throw new UsageException("--lock names no block");
        return locks;
    }
}
