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
        if (wanted.Count == 0) throw new ArgumentException("Name at least one street class for the barriers (e.g. trunk, primary).");
        var all = streets.ToList();
        var chosen = all.Where(s => wanted.Contains(s.Class) && s.Geometry is LineString or MultiLineString).ToList();
        if (chosen.Count == 0)
            throw new ArgumentException($"No street of class {string.Join(", ", wanted.Order(StringComparer.Ordinal))} for the barriers; the streets have classes " +
                $"{string.Join(", ", all.Select(s => s.Class).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))}.");
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
public sealed record BarrierFigures(int Lines, int LinksCut, int LinksKept, int Parts, IReadOnlyList<int> SectorsPerPart, IReadOnlyList<KeptLink> Kept);

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

    public static Plan Partition(IReadOnlyList<SectorUnit> units, PartitionOptions options, IProgress<double>? progress, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var barriers = options.Barriers!;
        if (options.LockedBlocks is { Count: > 0 } || options.LockedSectors is { Count: > 0 } || options.PreviousPlan is not null || options.SectorShares is not null)
            throw new ArgumentException("Barriers cannot yet be combined with locks, a previous plan or units per sector: plan with barriers alone, or leave them out.");
        var vertices = 0;
        for (var b = 0; b < barriers.Count; b++)
        {
            var line = barriers[b]?.Line;
            if (line is null || line.IsEmpty || line is not (LineString or MultiLineString))
                throw new ArgumentException($"Barrier {b} ({barriers[b]?.Name}) is {(line is null || line.IsEmpty ? "empty" : "a " + line.GeometryType)}; a barrier is a line.");
            vertices += line.NumPoints;
        }
        if (vertices > SectorBarrier.MaxVertices)
            throw new ArgumentException($"The barriers have {vertices} vertices; the limit is {SectorBarrier.MaxVertices}.");
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
        var accepted = new HashSet<int>(); // a part with no link across (an own-sector island) stands as it is
        int[] part;
        int count;
        while (true)
        {
            part = Parts(graph, cut, out count);
            var weight = new double[count];
            for (var i = 0; i < n; i++) weight[part[i]] += graph.Weight[i];
            var order = Enumerable.Range(0, count).OrderBy(p => weight[p]).ThenBy(p => Array.IndexOf(part, p)).ToList();
            var weak = order.Where(p => weight[p] < (1 - options.TargetDeviation) * mean - 1e-9 || count > k).Where(p => !accepted.Contains(p)).ToList();
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

        // Anchors (fixed centres, then seeds) say which part a sector is in.
        var centres = options.Centres ?? [];
        var seeds = options.Seeds ?? [];
        var anchored = Math.Max(centres.Count, seeds.Count);
        if (anchored > k) throw new ArgumentException($"{anchored} seed or centre points for {k} sectors: give at most one per sector.");
        var anchorPart = new int[anchored];
        for (var s = 0; s < anchored; s++)
        {
            var point = s < centres.Count ? centres[s] : seeds[s];
            if (point is null || point.IsEmpty || !double.IsFinite(point.X) || !double.IsFinite(point.Y))
                throw new ArgumentException($"{(s < centres.Count ? "Fixed centre" : "Seed")} {s} is not a point.");
            anchorPart[s] = part[BlockAt(graph, units, point)];
        }
        var w = new double[count];
        for (var i = 0; i < n; i++) w[part[i]] += graph.Weight[i];
        var sectors = new int[count];
        for (var p = 0; p < count; p++) sectors[p] = Math.Max(1, anchorPart.Count(a => a == p));
        if (sectors.Sum() > k)
            throw new ArgumentException($"The barriers leave {count} parts that each need a sector of their own ({sectors.Sum()} with the fixed centres), " +
                $"but there are {k} sectors: ask for more sectors or fewer barriers.");
        // The rest of the sectors one by one to the part whose sectors carry the most (D'Hondt): the least worst load.
        for (var extra = k - sectors.Sum(); extra > 0; extra--)
        {
            var blocks = new int[count];
            foreach (var q in part) blocks[q]++;
            var open = Enumerable.Range(0, count).Where(q => sectors[q] < blocks[q]).ToList();
            if (open.Count == 0) break; // k is at most the blocks: cannot happen
            var p = open.MaxBy(q => (w[q] / sectors[q], -q));
            sectors[p]++;
        }
        // D'Hondt bounds the heaviest sector; a light part can still be the worst: move a sector while that lowers the worst
        // |part workload / its sectors − mean|.
        {
            var minimum = Enumerable.Range(0, count).Select(p => Math.Max(1, anchorPart.Count(a => a == p))).ToArray();
            var size = new int[count];
            foreach (var q in part) size[q]++;
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
        }

        // Global sector numbers: anchored sectors keep theirs; the others in part order.
        var free = new Queue<int>(Enumerable.Range(anchored, k - anchored));
        var assignment = new Dictionary<string, int>(StringComparer.Ordinal);
        var figures = new List<SectorFigures>();
        var travels = new List<SectorTravel>();
        TravelFigures? anyTravel = null;
        var notes = new List<Note>();
        var islands = new List<string>();
        var contiguous = true;
        PolishFigures? polish = null;
        var kCut = cut.Keys.ToHashSet();
        for (var p = 0; p < count; p++)
        {
            var members = Enumerable.Range(0, n).Where(i => part[i] == p).ToList();
            var local = new Dictionary<int, int>();
            for (var t = 0; t < members.Count; t++) local[members[t]] = t;
            var ids = Enumerable.Range(0, anchored).Where(s => anchorPart[s] == p).OrderBy(s => s < centres.Count ? 0 : 1).ThenBy(s => s).ToList();
            var subCentres = ids.Where(s => s < centres.Count).Select(s => centres[s]).ToList();
            var subSeeds = ids.Select(s => s < seeds.Count && seeds[s] is not null ? seeds[s] : centres[s]).ToList();
            while (ids.Count < sectors[p]) ids.Add(free.Dequeue());
            var subCut = kCut.Where(l => part[l.Item1] == p && part[l.Item2] == p).Select(l => (local[l.Item1], local[l.Item2])).ToHashSet();
            var share = (double)sectors[p] / k;
            var sub = Sectorizer.Partition(members.Select(i => units[i]).ToList(), options with
            {
                Sectors = sectors[p], Barriers = null, CutLinks = subCut, Centres = subCentres, Seeds = subSeeds,
                TimeBudget = options.TimeBudget * share, PolishSeconds = options.PolishSeconds * share,
            }, null, ct);
            foreach (var (id, s) in sub.Assignment) assignment[id] = ids[s];
            foreach (var f in sub.Report.Sectors) figures.Add(f with { Id = ids[f.Id], TargetWorkload = mean });
            if (sub.Report.Travel is { } tf)
            {
                anyTravel = tf;
                travels.AddRange(tf.Sectors.Select(x => x with { Sector = ids[x.Sector] }));
            }
            if (count == 1) polish = sub.Report.Polish;
            notes.AddRange(sub.Report.Notes.Where(x => x.Code is not ("sectors.balance_bound" or "sectors.balance_missed")).Select(x => Renumber(x, ids)));
            islands.AddRange(sub.Report.Islands);
            contiguous &= sub.Report.Contiguous;
            progress?.Report(0.1 + 0.85 * (p + 1) / count);
        }
        figures = figures.OrderBy(f => f.Id).ToList();

        var maxDev = figures.Max(f => Math.Abs(f.Workload - mean) / mean) * 100;
        // No plan does better than the heaviest block allows, nor than the best split of each part into whole sectors.
        var bound = Math.Max(0, graph.Weight.Max() - mean) / mean;
        for (var p = 0; p < count; p++)
            bound = Math.Max(bound, Enumerable.Range(1, k).Min(m => Math.Abs(w[p] / m - mean)) / mean);
        var keptLinks = kept.Select(l => new KeptLink(units[l.A].Id, units[l.B].Id, barriers[l.Barrier].Name)).ToList();
        var result = new BarrierFigures(barriers.Count, crossing.Count - kept.Count, kept.Count, count, sectors, keptLinks);
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
        var report = new PlanReport(figures, maxDev, bound * 100, contiguous, figures.Average(f => f.PolsbyPopper), options.Seed, null, islands,
            clock.Elapsed.TotalMilliseconds, notes)
        {
            Travel = travel, Polish = polish, Objective = options.Objective, Barriers = result,
        };
        progress?.Report(1);
        return new Plan(assignment, report);
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
