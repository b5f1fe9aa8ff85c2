using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.LinearReferencing;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>A line no sector may cross (a main road, a river, a railway): lon/lat, a LineString or MultiLineString.</summary>
/// <param name="Name">How the report names it (the street's name, the file's feature).</param>
public sealed record SectorBarrier(string Name, Geometry Line)
{
    /// <summary>Most vertices all barriers of one plan may have together.</summary>
    public const int MaxVertices = 200_000;

    /// <summary>
    /// The streets of the given classes (OSM <c>highway</c>, e.g. trunk, primary) as barriers, one per class and name
    /// ("Carretera Panamericana Norte (motorway)"; unnamed ones by their class).
    /// </summary>
    /// <exception cref="ArgumentException">No class given, or no street of any of them (the classes present are named).</exception>
    public static IReadOnlyList<SectorBarrier> FromStreets(IEnumerable<Network.NetworkStreet> streets, IReadOnlyCollection<string> classes)
    {
        var wanted = classes.Select(c => c.Trim()).Where(c => c.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (wanted.Count == 0) throw new RefusalException(Note.Of("barriers.refused_no_class"));
        var all = streets.ToList();
        var chosen = all.Where(s => wanted.Contains(s.Class) && s.Geometry is LineString or MultiLineString).ToList();
        if (chosen.Count == 0)
            throw new RefusalException(Note.Of("barriers.refused_no_street", ("wanted", wanted.Order(StringComparer.Ordinal).ToList()),
                ("classes", all.Select(s => s.Class).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList())));
        return chosen
            .GroupBy(s => (Class: s.Class.ToLowerInvariant(), Name: string.IsNullOrWhiteSpace(s.Name) ? null : s.Name.Trim()))
            .OrderBy(g => g.Key.Class, StringComparer.Ordinal).ThenBy(g => g.Key.Name ?? "", StringComparer.Ordinal)
            .Select(g => new SectorBarrier(g.Key.Name is null ? g.Key.Class : $"{g.Key.Name} ({g.Key.Class})",
                g.First().Geometry.Factory.CreateMultiLineString(g.SelectMany(s => Enumerable.Range(0, s.Geometry.NumGeometries)
                    .Select(i => (LineString)s.Geometry.GetGeometryN(i))).ToArray())))
            .ToList();
    }
}

/// <summary>Two neighbouring blocks on either side of a barrier, kept neighbours because without the link a part of the area
/// is cut off with too little work for a sector of its own (or more parts than sectors).</summary>
public sealed record KeptLink(string BlockA, string BlockB, string Barrier);

/// <summary>What the barriers did to a plan.</summary>
/// <param name="Lines">Barrier lines given.</param>
/// <param name="LinksCut">Neighbour links across a barrier, left out of contiguity.</param>
/// <param name="LinksKept">Links across a barrier kept by necessity (in <paramref name="Kept"/>).</param>
/// <param name="Parts">Parts of the area the barriers leave, each split into sectors of its own.</param>
/// <param name="SectorsPerPart">Sectors given to each part, by its workload.</param>
public sealed record BarrierFigures(int Lines, int LinksCut, int LinksKept, int Parts, IReadOnlyList<int> SectorsPerPart, IReadOnlyList<KeptLink> Kept)
{
    /// <summary>The barrier lines themselves (lon/lat, 7 decimals), so a kept plan can draw and explain them.</summary>
    public IReadOnlyList<BarrierPath>? Paths { get; init; }

    /// <summary>Sectors with blocks on both sides of a barrier that ends inside their part (joined around its end, named
    /// in notes <c>sectors.barrier_wrapped</c>); 0 when no sector has both sides.</summary>
    public int SectorsAcross { get; init; }
}

/// <summary>A barrier as plain coordinates: its name and its lines, each a list of [lon, lat].</summary>
public sealed record BarrierPath(string Name, IReadOnlyList<IReadOnlyList<double[]>> Lines)
{
    public static BarrierPath Of(SectorBarrier b) => new(b.Name, Enumerable.Range(0, b.Line.NumGeometries)
        .Select(i => (IReadOnlyList<double[]>)b.Line.GetGeometryN(i).Coordinates.Select(c => new[] { Math.Round(c.X, 7), Math.Round(c.Y, 7) }).ToList()).ToList());

    /// <summary>The barrier again (a MultiLineString, SRID 4326).</summary>
    /// <exception cref="ArgumentException">A line with fewer than two points.</exception>
    public SectorBarrier ToBarrier()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        if (Lines.Count == 0 || Lines.Any(l => l.Count < 2 || l.Any(c => c.Length < 2)))
            throw new RefusalException(Note.Of("barriers.line_too_short", ("barrier", Name ?? "")), "barriers");
        return new SectorBarrier(Name, factory.CreateMultiLineString(Lines.Select(l => factory.CreateLineString(l.Select(c => new Coordinate(c[0], c[1])).ToArray())).ToArray()));
    }
}

/// <summary>
/// Barriers in the partition. A link between two blocks is across a barrier when the path from one block's centroid to
/// the middle of their shared boundary and on to the other's centroid passes within <see cref="TouchMetres"/> of the
/// line. Why this path: the shared boundary alone misses a river or a road drawn a few metres off the block edges, and
/// the straight centroid segment alone can leave an L-shaped pair and cross a line that does not run between them; the
/// path through the shared boundary stays (for convex blocks) inside the two blocks, so it meets the line exactly when
/// the line runs between them. A bridge to an island is the centroid segment. The links left form parts; a part lighter
/// than a sector at the tolerance's low end, (1 − tolerance) × mean, keeps its longest link across (named), until every
/// part can carry a sector; each part then gets sectors by its workload and is partitioned on its own.
/// </summary>
internal static class BarrierPartition
{
    public const double TouchMetres = 1.0;

    /// <summary>Further seeds tried for a part whose plan has a sector on both sides of a barrier that ends inside it.</summary>
    public const int WrapRetries = 4;

    public static Plan Partition(IReadOnlyList<SectorUnit> units, PartitionOptions options, IProgress<double>? progress, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var barriers = options.Barriers!;
        var vertices = 0;
        for (var b = 0; b < barriers.Count; b++)
        {
            var line = barriers[b]?.Line;
            if (line is null || line.IsEmpty || line is not (LineString or MultiLineString))
                throw new RefusalException(line is null || line.IsEmpty
                    ? Note.Of("barriers.empty", ("index", b), ("barrier", barriers[b]?.Name ?? ""))
                    : Note.Of("barriers.not_line", ("index", b), ("barrier", barriers[b]?.Name ?? ""), ("type", line.GeometryType)), nameof(options.Barriers));
            vertices += line.NumPoints;
        }
        if (vertices > SectorBarrier.MaxVertices)
            throw new RefusalException(Note.Of("barriers.too_many_vertices", ("count", vertices), ("limit", SectorBarrier.MaxVertices)), nameof(options.Barriers));
        var k = options.Sectors;
        var graph = SectorGraph.Build(units, options.GapToleranceMeters, options.MinSharedEdgeMeters, bridgeIslands: options.Islands == IslandPolicy.AttachToNearest);
        if (options.Islands == IslandPolicy.Refuse && graph.ComponentCount > 1)
            return Sectorizer.Partition(units, options with { Barriers = null }, progress, ct); // refuses and names them
        var n = units.Count;
        var crossing = Crossing(graph, units, barriers);

        // Parts over the links left; weak parts keep their longest link across.
        var cut = new Dictionary<(int, int), int>(crossing);
        var kept = new List<(int A, int B, int Barrier)>();
        var total = graph.Weight.Sum();
        var mean = total / k;
        // With capacities, a part must carry at least the lightest sector.
        var lightest = options.SectorShares is { Count: > 0 } given && given.Count == k ? total * given.Min() / given.Sum() : mean;
        var accepted = new HashSet<int>(); // a part with no link across (an own-sector island) stands as it is
        int[] part;
        int count;
        while (true)
        {
            part = Parts(graph, cut, out count);
            var weight = new double[count];
            for (var i = 0; i < n; i++) weight[part[i]] += graph.Weight[i];
            var order = Enumerable.Range(0, count).OrderBy(p => weight[p]).ThenBy(p => Array.IndexOf(part, p)).ToList();
            var weak = order.Where(p => weight[p] < (1 - options.TargetDeviation) * lightest - 1e-9 || count > k).Where(p => !accepted.Contains(p)).ToList();
            if (weak.Count == 0 || count == 1) break;
            var p0 = weak[0];
            var link = cut.Keys.Where(l => (part[l.Item1] == p0) != (part[l.Item2] == p0))
                .OrderByDescending(l => SharedOf(graph, l.Item1, l.Item2)).ThenBy(l => l.Item1).ThenBy(l => l.Item2)
                .Select(l => ((int, int)?)l).FirstOrDefault();
            if (link is not { } l)
            {
                // Parts are renumbered every round: remember the part by a block of it.
                accepted.Add(p0);
                if (accepted.Count >= count) break;
                continue;
            }
            kept.Add((l.Item1, l.Item2, cut[l]));
            cut.Remove(l);
            accepted.Clear();
        }

        // What each sector must be: its target (the mean, or its share), and the part it is anchored in (a fixed
        // centre, a seed, its locked blocks).
        var shares = options.SectorShares?.ToArray();
        var target = Enumerable.Range(0, k).Select(s => shares is null ? mean : total * shares[s] / shares.Sum()).ToArray();
        var index = PlanEvaluator.IndexOf(units);
        var locks = Locks(options, index, k);
        var centres = options.Centres ?? [];
        var seeds = options.Seeds ?? [];
        var pointed = Math.Max(centres.Count, seeds.Count);
        if (pointed > k) throw new RefusalException(Note.Of("sectors.refused_points_count", ("given", pointed), ("sectors", k)));
        var anchor = new Dictionary<int, (int Part, int Block)>();
        for (var s = 0; s < pointed; s++)
        {
            var point = s < centres.Count ? centres[s] : seeds[s];
            if (point is null || point.IsEmpty || !double.IsFinite(point.X) || !double.IsFinite(point.Y))
                throw new RefusalException(s < centres.Count ? Note.Of("sectors.refused_centre_not_point", ("centre", s)) : Note.Of("sectors.refused_seed_not_point", ("seed", s)));
            var at = BlockAt(graph, units, point);
            anchor[s] = (part[at], at);
        }
        foreach (var (id, s) in locks.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var i = index[id];
            if (anchor.TryGetValue(s, out var a) && a.Part != part[i])
                throw new RefusalException(Note.Of("sectors.barrier_lock_across", ("sector", s), ("block", units[a.Block].Id), ("other", id),
                    ("barrier", BarrierBetween(graph, part, cut, barriers, a.Part, part[i]))), nameof(options.LockedBlocks));
            anchor.TryAdd(s, (part[i], i));
        }
        var w = new double[count];
        for (var i = 0; i < n; i++) w[part[i]] += graph.Weight[i];
        var size = new int[count];
        foreach (var q in part) size[q]++;
        var minimum = Enumerable.Range(0, count).Select(p => Math.Max(1, anchor.Values.Count(a => a.Part == p))).ToArray();
        if (minimum.Sum() > k)
            throw new RefusalException(Note.Of("barriers.too_many_parts", ("parts", count), ("needed", minimum.Sum()), ("sectors", k)), nameof(options.Barriers));
        var prev = PlanEvaluator.Previous(units, options.PreviousPlan, out var unknownPrevious);
        for (var i = 0; i < n; i++) if (prev[i] >= k) prev[i] = -1;
        var members = Enumerable.Range(0, count).Select(p => Enumerable.Range(0, n).Where(i => part[i] == p).ToList()).ToArray();
        var partIds = shares is null
            ? EqualSectors(count, k, w, size, minimum, mean, anchor, prev, members, graph.Weight)
            : SharedSectors(count, k, w, size, target, anchor);
        var sectors = partIds.Select(ids => ids.Count).ToArray();

        // Each part partitioned on its own, with its sectors renumbered 0.. locally (centres first, then seeds, then locks).
        var assignment = new Dictionary<string, int>(StringComparer.Ordinal);
        var figures = new List<SectorFigures>();
        var travels = new List<SectorTravel>();
        TravelFigures? anyTravel = null;
        var notes = new List<Note>();
        var islands = new List<string>();
        var contiguous = true;
        PolishFigures? polish = null;
        var kCut = cut.Keys.ToHashSet();
        var wraps = new List<Note>();
        var sectorsAcross = 0;
        for (var p = 0; p < count; p++)
        {
            var local = new Dictionary<int, int>();
            for (var t = 0; t < members[p].Count; t++) local[members[p][t]] = t;
            var ids = partIds[p].OrderBy(s => s < centres.Count ? 0 : s < pointed ? 1 : anchor.ContainsKey(s) ? 2 : 3).ThenBy(s => s).ToList();
            var subCentres = ids.Where(s => s < centres.Count).Select(s => centres[s]).ToList();
            var subSeeds = ids.Where(s => s < pointed).Select(s => s < seeds.Count && seeds[s] is not null ? seeds[s] : centres[s]).ToList();
            var localOf = ids.Select((s, t) => (s, t)).ToDictionary(x => x.s, x => x.t);
            var subLocks = locks.Where(l => part[index[l.Key]] == p).ToDictionary(l => l.Key, l => localOf[l.Value], StringComparer.Ordinal);
            var subPrevious = options.PreviousPlan is null ? null
                : members[p].Where(i => prev[i] >= 0 && localOf.ContainsKey(prev[i])).ToDictionary(i => units[i].Id, i => localOf[prev[i]], StringComparer.Ordinal);
            var subCut = kCut.Where(l => part[l.Item1] == p && part[l.Item2] == p).Select(l => (local[l.Item1], local[l.Item2])).ToHashSet();
            var share = (double)sectors[p] / k;
            var subUnits = members[p].Select(i => units[i]).ToList();
            // A barrier that does not split its part (it ends inside the area) can still have one sector on both of its
            // sides, joined around its end: try other seeds (at most WrapRetries) for a plan without such a sector.
            Plan? sub = null;
            var wrappedLinks = new List<(int, int)>();
            for (var retry = 0; retry <= WrapRetries; retry++)
            {
                // A plan that came out split (a lock far from its sector's old blocks) is made again without the old plan.
                var previousHere = sub is not null && !sub.Report.Contiguous ? null : subPrevious;
                var tried = Sectorizer.Partition(subUnits, options with
                {
                    Sectors = sectors[p], Barriers = null, CutLinks = subCut, Centres = subCentres, Seeds = subSeeds,
                    LockedBlocks = subLocks.Count > 0 ? subLocks : null, LockedSectors = null, PreviousPlan = previousHere,
                    SectorShares = shares is null ? null : ids.Select(s => shares[s]).ToList(),
                    TimeBudget = options.TimeBudget * share, PolishSeconds = options.PolishSeconds * share,
                    Seed = unchecked(options.Seed + retry * 7_919),
                }, null, ct);
                var wrapped = subCut.Where(l => tried.Assignment[subUnits[l.Item1].Id] == tried.Assignment[subUnits[l.Item2].Id])
                    .Select(l => (members[p][l.Item1], members[p][l.Item2])).OrderBy(l => l).ToList();
                var worse = sub is not null && (sub.Report.Contiguous && !tried.Report.Contiguous
                    || sub.Report.Contiguous == tried.Report.Contiguous
                       && (tried.Report.MaxDeviationPct > Math.Max(options.TargetDeviation * 100, sub.Report.MaxDeviationPct) + 1e-9
                           || wrapped.Count >= wrappedLinks.Count));
                if (sub is null || !worse) { sub = tried; wrappedLinks = wrapped; }
                if (wrappedLinks.Count == 0 && sub.Report.Contiguous) break;
            }
            foreach (var group in wrappedLinks.GroupBy(l => sub!.Assignment[units[l.Item1].Id]))
            {
                var (a, bb) = group.First();
                wraps.Add(Note.Of("sectors.barrier_wrapped", ("sector", ids[group.Key]), ("block", units[a].Id), ("other", units[bb].Id),
                    ("barrier", barriers[cut[(a, bb)]].Name), ("count", group.Count())));
            }
            sectorsAcross += wrappedLinks.Select(l => sub!.Assignment[units[l.Item1].Id]).Distinct().Count();
            foreach (var (id, s) in sub!.Assignment) assignment[id] = ids[s];
            foreach (var f in sub.Report.Sectors) figures.Add(f with { Id = ids[f.Id], TargetWorkload = target[ids[f.Id]] });
            if (sub.Report.Travel is { } tf)
            {
                anyTravel = tf;
                travels.AddRange(tf.Sectors.Select(x => x with { Sector = ids[x.Sector] }));
            }
            if (count == 1) polish = sub.Report.Polish;
            notes.AddRange(sub.Report.Notes.Where(x => x.Code is not ("sectors.balance_bound" or "sectors.balance_missed" or "sectors.locked"))
                .Select(x => Renumber(x, ids)));
            islands.AddRange(sub.Report.Islands);
            contiguous &= sub.Report.Contiguous;
            progress?.Report(0.1 + 0.85 * (p + 1) / count);
        }
        figures = figures.OrderBy(f => f.Id).ToList();
        if (locks.Count > 0) notes.Add(Note.Of("sectors.locked", ("count", locks.Count)));
        if (unknownPrevious > 0) notes.Add(Note.Of("sectors.previous_unknown", ("count", unknownPrevious)));
        Churn? churn = null;
        if (prev.Any(s => s >= 0))
        {
            var changed = Enumerable.Range(0, n).Where(i => prev[i] >= 0 && prev[i] != assignment[units[i].Id]).ToList();
            churn = new Churn(changed.Count, changed.Sum(i => graph.Weight[i]) / total * 100);
        }

        var maxDev = figures.Max(f => Math.Abs(f.Workload - f.TargetWorkload) / f.TargetWorkload) * 100;
        // No plan does better than the heaviest block allows, nor (equal targets) than the best split of each part into
        // whole sectors; locked blocks heavier than their sector's target cannot be split either.
        var largest = target.Max();
        var bound = Math.Max(0, graph.Weight.Max() - largest) / largest;
        if (shares is null)
            for (var p = 0; p < count; p++)
                bound = Math.Max(bound, Enumerable.Range(1, k).Min(m => Math.Abs(w[p] / m - mean)) / mean);
        foreach (var g in locks.GroupBy(l => l.Value))
            bound = Math.Max(bound, Math.Max(0, g.Sum(l => graph.Weight[index[l.Key]]) - target[g.Key]) / target[g.Key]);
        var keptLinks = kept.Select(l => new KeptLink(units[l.A].Id, units[l.B].Id, barriers[l.Barrier].Name)).ToList();
        var result = new BarrierFigures(barriers.Count, crossing.Count - kept.Count, kept.Count, count, sectors, keptLinks)
        {
            Paths = barriers.Select(BarrierPath.Of).ToList(),
            SectorsAcross = sectorsAcross,
        };
        notes.AddRange(wraps);
        notes.Insert(0, Note.Of("sectors.barriers", ("count", barriers.Count), ("cut", result.LinksCut), ("kept", result.LinksKept), ("parts", count)));
        foreach (var l in keptLinks)
            notes.Insert(1, Note.Of("sectors.barrier_kept", ("block", l.BlockA), ("other", l.BlockB), ("barrier", l.Barrier)));
        var tolerance = options.TargetDeviation * 100;
        if (maxDev > tolerance + 1e-9)
            notes.Add(bound * 100 > tolerance
                ? Note.Of("sectors.barrier_balance_bound", ("bound", bound * 100), ("deviation", maxDev))
                : Note.Of("sectors.balance_missed", ("tolerance", tolerance), ("deviation", maxDev)));
        TravelFigures? travel = null;
        if (anyTravel is not null)
        {
            var totalMin = travels.Sum(x => x.WeightedMinutes);
            travel = anyTravel with
            {
                TotalWeightedMinutes = totalMin, MeanMinutes = total > 0 ? totalMin / total : 0, WorstMinutes = travels.Max(x => x.WorstMinutes),
                TotalWeightedKm = travels.All(x => x.WeightedKm is not null) ? travels.Sum(x => x.WeightedKm!.Value) : null,
                Sectors = travels.OrderBy(x => x.Sector).ToList(),
                OffNetworkBlocks = anyTravel.OffNetworkBlocks,
            };
        }
        var report = new PlanReport(figures, maxDev, bound * 100, contiguous, figures.Average(f => f.PolsbyPopper), options.Seed, churn, islands,
            0, notes)
        {
            Travel = travel, Polish = polish, Objective = options.Objective, Barriers = result,
        };
        if (options.Objective == SectorObjective.Response && travel is not null)
        {
            // The bound of the whole area (barriers relaxed: still a bound for a plan that honours them).
            var origins = Enumerable.Range(0, k).Select(s => s < centres.Count ? n + s : -1).ToArray();
            var (lower, boundNote) = ResponseBound.Of(graph, new TravelCost(graph, centres, options.Streets, options.StraightLineKmh), origins, shares,
                options.TargetDeviation, report);
            report = report with { Bound = lower };
            notes.Add(boundNote);
        }
        report = report with { ElapsedMs = clock.Elapsed.TotalMilliseconds };
        progress?.Report(1);
        return new Plan(assignment, report);
    }

    /// <summary>The locked blocks (named, and the previous plan's locked sectors) as block id → sector.</summary>
    private static Dictionary<string, int> Locks(PartitionOptions options, Dictionary<string, int> index, int k)
    {
        var locks = new Dictionary<string, int>(StringComparer.Ordinal);
        if (options.LockedSectors is { Count: > 0 } lockedSectors)
        {
            if (options.PreviousPlan is null) throw new RefusalException(Note.Of("sectors.refused_locked_no_previous"), nameof(options.LockedSectors));
            foreach (var s in lockedSectors)
            {
                if (s < 0 || s >= k) throw new RefusalException(Note.Of("sectors.refused_locked_sector", ("sector", s), ("last", k - 1)), nameof(options.LockedSectors));
                foreach (var (id, ps) in options.PreviousPlan) if (ps == s && index.ContainsKey(id)) locks[id] = s;
            }
        }
        if (options.LockedBlocks is null) return locks;
        var unknown = options.LockedBlocks.Keys.Where(id => !index.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0) throw new RefusalException(Note.Of("sectors.refused_locked_unknown", ("blocks", unknown)), nameof(options.LockedBlocks));
        foreach (var (id, s) in options.LockedBlocks)
        {
            if (s < 0 || s >= k) throw new RefusalException(Note.Of("sectors.refused_lock_range", ("block", id), ("sector", s), ("last", k - 1)), nameof(options.LockedBlocks));
            if (locks.TryGetValue(id, out var other) && other != s)
                throw new RefusalException(Note.Of("sectors.refused_lock_twice", ("block", id), ("sector", s), ("other", other)), nameof(options.LockedBlocks));
            locks[id] = s;
        }
        return locks;
    }

    /// <summary>The name of a barrier that separates two parts (one with a cut link between them, else the first).</summary>
    private static string BarrierBetween(SectorGraph g, int[] part, Dictionary<(int, int), int> cut, IReadOnlyList<SectorBarrier> barriers, int p, int q)
    {
        foreach (var ((i, j), b) in cut.OrderBy(c => c.Key))
            if ((part[i] == p && part[j] == q) || (part[i] == q && part[j] == p)) return barriers[b].Name;
        return barriers[0].Name;
    }

    /// <summary>
    /// Equal targets: how many sectors each part gets (D'Hondt, then single moves while they lower the worst
    /// |part workload / its sectors − mean|), anchored sectors in their parts, the free numbers to the part that held
    /// most of the sector's previous workload (then in order).
    /// </summary>
    private static List<int>[] EqualSectors(int count, int k, double[] w, int[] size, int[] minimum, double mean,
        Dictionary<int, (int Part, int Block)> anchor, int[] prev, List<int>[] members, double[] weight)
    {
        var sectors = (int[])minimum.Clone();
        // The rest of the sectors one by one to the part whose sectors carry the most (D'Hondt): the least worst load.
        for (var extra = k - sectors.Sum(); extra > 0; extra--)
        {
            var open = Enumerable.Range(0, count).Where(q => sectors[q] < size[q]).ToList();
            if (open.Count == 0) break; // k is at most the blocks: cannot happen
            var p = open.MaxBy(q => (w[q] / sectors[q], -q));
            sectors[p]++;
        }
        double Worst(int[] m) => Enumerable.Range(0, count).Max(q => Math.Abs(w[q] / m[q] - mean));
        for (var improved = true; improved;)
        {
            improved = false;
            var now = Worst(sectors);
            for (var from = 0; from < count && !improved; from++)
            for (var to = 0; to < count && !improved; to++)
            {
                if (from == to || sectors[from] <= minimum[from] || sectors[to] >= size[to]) continue;
                sectors[from]--; sectors[to]++;
                if (Worst(sectors) < now - 1e-9) improved = true;
                else { sectors[from]++; sectors[to]--; }
            }
        }
        var ids = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        foreach (var (s, a) in anchor.OrderBy(a => a.Key)) ids[a.Part].Add(s);
        var free = Enumerable.Range(0, k).Where(s => !anchor.ContainsKey(s)).ToList();
        // Stability: a free sector number goes where most of its old workload is.
        var overlap = new List<(double Weight, int Part, int Sector)>();
        for (var p = 0; p < count; p++)
            foreach (var g in members[p].Where(i => prev[i] >= 0 && !anchor.ContainsKey(prev[i])).GroupBy(i => prev[i]))
                overlap.Add((g.Sum(i => weight[i]), p, g.Key));
        foreach (var (_, p, s) in overlap.OrderByDescending(o => o.Weight).ThenBy(o => o.Part).ThenBy(o => o.Sector))
            if (free.Contains(s) && ids[p].Count < sectors[p]) { ids[p].Add(s); free.Remove(s); }
        for (var p = 0; p < count; p++)
            while (ids[p].Count < sectors[p]) { ids[p].Add(free[0]); free.RemoveAt(0); }
        return ids;
    }

    /// <summary>
    /// Capacities: each sector (its own target) goes to a part, anchored ones where they are; the others, heaviest first,
    /// to the part with the most workload left over its targets (a part without a sector first), then single moves and
    /// swaps while they lower the worst |part workload / Σ its targets − 1|.
    /// </summary>
    private static List<int>[] SharedSectors(int count, int k, double[] w, int[] size, double[] target, Dictionary<int, (int Part, int Block)> anchor)
    {
        var of = Enumerable.Repeat(-1, k).ToArray();
        foreach (var (s, a) in anchor) of[s] = a.Part;
        double Sum(int p) => Enumerable.Range(0, k).Where(s => of[s] == p).Sum(s => target[s]);
        int Count(int p) => of.Count(x => x == p);
        foreach (var s in Enumerable.Range(0, k).Where(s => of[s] < 0).OrderByDescending(s => target[s]).ThenBy(s => s).ToList())
        {
            var open = Enumerable.Range(0, count).Where(p => Count(p) < size[p]).ToList();
            var empty = open.Where(p => Count(p) == 0).ToList();
            of[s] = (empty.Count > 0 ? empty : open).MaxBy(p => (w[p] - Sum(p), -p));
        }
        double Worst() => Enumerable.Range(0, count).Max(p => Sum(p) > 0 ? Math.Abs(w[p] / Sum(p) - 1) : double.PositiveInfinity);
        for (var improved = true; improved;)
        {
            improved = false;
            var now = Worst();
            for (var s = 0; s < k && !improved; s++)
            {
                if (anchor.ContainsKey(s)) continue;
                var from = of[s];
                for (var to = 0; to < count && !improved; to++)
                {
                    if (to == from || Count(from) <= 1 || Count(to) >= size[to]) continue;
                    of[s] = to;
                    if (Worst() < now - 1e-9) { improved = true; break; }
                    of[s] = from;
                }
                for (var t = 0; t < k && !improved; t++)
                {
                    if (anchor.ContainsKey(t) || of[t] == from) continue;
                    var other = of[t];
                    (of[s], of[t]) = (other, from);
                    if (Worst() < now - 1e-9) { improved = true; break; }
                    (of[s], of[t]) = (from, other);
                }
            }
        }
        var ids = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        for (var s = 0; s < k; s++) ids[of[s]].Add(s);
        return ids;
    }

    /// <summary>The block under the point, or the one with the nearest centroid.</summary>
    private static int BlockAt(SectorGraph g, IReadOnlyList<SectorUnit> units, Point point)
    {
        var b = Enumerable.Range(0, g.Count).FirstOrDefault(i => units[i].Geometry.Covers(point), -1);
        if (b >= 0) return b;
        var (x, y) = Crs.Transform(point.X, point.Y, Crs.Wgs84, g.Zone);
        return Enumerable.Range(0, g.Count).MinBy(i => (Math.Pow(g.X[i] - x, 2) + Math.Pow(g.Y[i] - y, 2), i));
    }

    private static double SharedOf(SectorGraph g, int i, int j)
    {
        for (var e = g.Start[i]; e < g.Start[i + 1]; e++) if (g.Neighbours[e] == j) return g.Shared[e];
        return 0;
    }

    /// <summary>Sector numbers in a part's notes made the plan's.</summary>
    private static Note Renumber(Note note, IReadOnlyList<int> ids)
    {
        var args = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in note.Args)
            args[key] = (key, value) switch
            {
                ("sector" or "fixed" or "seed", double d) when d >= 0 && d < ids.Count && d == Math.Floor(d) => (double)ids[(int)d],
                ("sectors", string[] list) => list.Select(x => int.TryParse(x, out var s) && s >= 0 && s < ids.Count ? ids[s].ToString(System.Globalization.CultureInfo.InvariantCulture) : x).ToArray(),
                _ => value,
            };
        return new Note(note.Code, args);
    }

    /// <summary>Components over all links (bridges included) but the cut ones.</summary>
    private static int[] Parts(SectorGraph g, Dictionary<(int, int), int> cut, out int count)
    {
        var part = Enumerable.Repeat(-1, g.Count).ToArray();
        count = 0;
        var stack = new Stack<int>();
        for (var s = 0; s < g.Count; s++)
        {
            if (part[s] >= 0) continue;
            part[s] = count;
            stack.Push(s);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                for (var e = g.Start[i]; e < g.Start[i + 1]; e++)
                {
                    var j = g.Neighbours[e];
                    if (part[j] >= 0 || cut.ContainsKey((Math.Min(i, j), Math.Max(i, j)))) continue;
                    part[j] = count;
                    stack.Push(j);
                }
            }
            count++;
        }
        return part;
    }

    /// <summary>The links (i &lt; j) across a barrier, each with the first barrier it crosses.</summary>
    internal static Dictionary<(int, int), int> Crossing(SectorGraph g, IReadOnlyList<SectorUnit> units, IReadOnlyList<SectorBarrier> barriers)
    {
        var tree = new STRtree<(int Barrier, LineString Line)>();
        for (var b = 0; b < barriers.Count; b++)
        {
            var utm = Crs.Transform(barriers[b].Line, Crs.Wgs84, g.Zone);
            for (var p = 0; p < utm.NumGeometries; p++)
            {
                var line = (LineString)utm.GetGeometryN(p);
                // Segment by segment, so that a long line only meets the blocks near it.
                for (var v = 0; v + 1 < line.NumPoints; v++)
                {
                    var seg = line.Factory.CreateLineString([line.GetCoordinateN(v), line.GetCoordinateN(v + 1)]);
                    var env = new Envelope(seg.EnvelopeInternal);
                    env.ExpandBy(TouchMetres);
                    tree.Insert(env, (b, seg));
                }
            }
        }
        tree.Build();
        var result = new Dictionary<(int, int), int>();
        if (tree.Count == 0) return result;
        var utmBlocks = new Geometry?[g.Count];
        Geometry Utm(int i) => utmBlocks[i] ??= Crs.Transform(units[i].Geometry, Crs.Wgs84, g.Zone);
        var factory = new GeometryFactory();
        for (var i = 0; i < g.Count; i++)
        for (var e = g.Start[i]; e < g.Start[i + 1]; e++)
        {
            var j = g.Neighbours[e];
            if (j <= i) continue;
            Envelope box;
            if (g.Shared[e] > 0)
            {
                box = new Envelope(Utm(i).EnvelopeInternal);
                box.ExpandToInclude(Utm(j).EnvelopeInternal);
            }
            else box = new Envelope(g.X[i], g.X[j], g.Y[i], g.Y[j]);
            var near = tree.Query(box);
            if (near.Count == 0) continue;
            var path = Path(g, factory, i, j, g.Shared[e] > 0 ? Utm(i) : null, g.Shared[e] > 0 ? Utm(j) : null);
            foreach (var (b, seg) in near.OrderBy(x => x.Barrier))
            {
                if (path.Distance(seg) > TouchMetres) continue;
                result[(i, j)] = b;
                break;
            }
        }
        return result;
    }

    /// <summary>Centroid of i, the middle of the longest piece of boundary i and j share, centroid of j (UTM).</summary>
    private static LineString Path(SectorGraph g, GeometryFactory factory, int i, int j, Geometry? a, Geometry? b)
    {
        var ci = new Coordinate(g.X[i], g.Y[i]);
        var cj = new Coordinate(g.X[j], g.Y[j]);
        if (a is null || b is null) return factory.CreateLineString([ci, cj]);
        var shared = a.Boundary.Intersection(b.Buffer(0.5));
        LineString? longest = null;
        for (var p = 0; p < shared.NumGeometries; p++)
            if (shared.GetGeometryN(p) is LineString l && (longest is null || l.Length > longest.Length)) longest = l;
        if (longest is null || longest.Length <= 0) return factory.CreateLineString([ci, cj]);
        var mid = new LengthIndexedLine(longest).ExtractPoint(longest.Length / 2);
        return factory.CreateLineString([ci, mid, cj]);
    }
}
