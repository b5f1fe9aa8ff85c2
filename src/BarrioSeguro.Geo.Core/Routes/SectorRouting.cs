using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>A piece of a sector's streets that no closed walk on the network can cover: its length and place (lon/lat).</summary>
public sealed record UnreachableStreet(string? Name, double LengthMeters, Point Place);

/// <summary>The patrol route of one sector and shift, and what it could not cover.</summary>
public sealed record SectorRoute(
    string Sector, PatrolRoute Route, PostmanTour Tour, IReadOnlyList<UnreachableStreet> Unreachable, IReadOnlyList<Note> Notes);

/// <summary>The coverage cycle of one sector, its tour, the streets it leaves out and the notes of the tour and the hot spots.</summary>
public sealed record SectorCycle(
    string Sector, CoverageCycle Cycle, PostmanTour Tour, IReadOnlyList<UnreachableStreet> Unreachable, IReadOnlyList<Note> Notes)
{
    /// <summary>The route of slot <paramref name="slot"/> of the cycle, with the sector's notes.</summary>
    public SectorRoute RouteOf(int slot) => new(Sector, Cycle.Routes[slot].Route, Tour, Unreachable, Notes);
}

/// <summary>
/// From a street graph and a sector polygon to a patrol route: the sector's own streets are required, every other street
/// of the graph may carry deadhead (so a walk may pass through neighbouring sectors), costs are the mode's travel times,
/// one-way streets bind vehicles, hot spots and the start snap to the nearest node.
/// </summary>
public static class SectorRouting
{
    /// <summary>How patrol routes solve their postman: the integer model on deterministic CP-SAT (2 s of work, one
    /// worker, fixed seed), so the best tour it finds is the same on any machine under any load and may be used
    /// unproven.</summary>
    public static PostmanOptions PatrolPostman { get; } = new() { ExactWork = 2, AcceptUnproven = true };

    /// <summary>Plans the route of one sector for one shift: the first shift of a one-shift cycle (see <see cref="PlanCycle"/>).</summary>
    /// <param name="graph">The street graph for the patrol mode.</param>
    /// <param name="sector">The sector, lon/lat polygon.</param>
    /// <param name="sectorName">For the route name and messages, e.g. "S1".</param>
    /// <param name="hotspots">Hot spots (lon/lat) with names; each snaps to the nearest node within 200 m, else is refused in a note.</param>
    /// <param name="start">The start (a station, say); the node nearest the sector's centre when null.</param>
    /// <exception cref="ArgumentException">The sector holds no street of the graph.</exception>
    public static SectorRoute Plan(
        StreetGraph graph, Geometry sector, string sectorName, IReadOnlyList<(string Name, Point Place)> hotspots, RouteOptions options, Point? start = null)
    {
        var cycle = PlanCycle(graph, sector, sectorName, hotspots, options, [new CycleSlot(1, "", options.Name, options.ShiftStart)], start);
        return cycle.RouteOf(0);
    }

    /// <summary>
    /// Plans the coverage cycle of one sector: a route per slot that fits the patrol time, hot-spot stops, the sector's
    /// streets spread over the slots so that each is walked at least once, and preventive patrol by priority.
    /// </summary>
    /// <param name="incidents">Incidents (lon/lat): the weight of a street is the number within 100 m of it.</param>
    /// <exception cref="ArgumentException">The sector holds no street of the graph.</exception>
    public static SectorCycle PlanCycle(
        StreetGraph graph, Geometry sector, string sectorName, IReadOnlyList<(string Name, Point Place)> hotspots, RouteOptions options,
        IReadOnlyList<CycleSlot> slots, Point? start = null, IReadOnlyList<Point>? incidents = null)
    {
        var p = Prepare(graph, sector, sectorName, hotspots, options, start);
        var weights = incidents is { Count: > 0 } ? Weights(graph, p.Edges, incidents) : null;
        var cycle = ShiftRoutePlanner.PlanCycle(p.Postman, p.Tour, p.Geometry, p.Spots, p.Options, slots, weights);
        var unreachable = cycle.OutOfReach.Select(i =>
        {
            var e = graph.Edges[p.Edges[i].Tag is int id ? id : i];
            return new UnreachableStreet(e.Name, e.LengthMeters, Crs.Transform(e.Geometry.InteriorPoint, graph.UtmEpsg, Crs.Wgs84));
        }).ToList();
        return new SectorCycle(sectorName, cycle, p.Tour, unreachable, p.Notes);
    }

    /// <summary>How many shifts a full pass of the sector takes in the graph's mode, each giving it all its free time (null: too many).</summary>
    public static (int? Shifts, double PassMinutes) FewestShifts(
        StreetGraph graph, Geometry sector, string sectorName, IReadOnlyList<(string Name, Point Place)> hotspots, RouteOptions options, Point? start = null)
    {
        var p = Prepare(graph, sector, sectorName, hotspots, options, start);
        return ShiftRoutePlanner.FewestShifts(p.Postman, p.Tour, p.Geometry, p.Spots, p.Options);
    }

    private sealed record Prepared(
        List<PostmanEdge> Edges, PostmanGraph Postman, PostmanTour Tour, RouteGeometry Geometry, List<RouteHotspot> Spots, RouteOptions Options, List<Note> Notes);

    /// <summary>
    /// A street is the sector's when its interior point lies in it, or when most of its length does: a long street that
    /// leaves the neighbourhood can have its interior point outside every sector while hundreds of metres of it lie in one.
    /// </summary>
    private static bool Holds(NetTopologySuite.Geometries.Prepared.IPreparedGeometry sector, Geometry street)
    {
        if (sector.Contains(street.InteriorPoint)) return true;
        if (!sector.Intersects(street) || street.Length <= 0) return false;
        return sector.Geometry.Intersection(street).Length > 0.5 * street.Length;
    }

    private static Prepared Prepare(
        StreetGraph graph, Geometry sector, string sectorName, IReadOnlyList<(string Name, Point Place)> hotspots, RouteOptions options, Point? start)
    {
        var utmSector = PreparedGeometryFactory.Prepare(Crs.Transform(sector, Crs.Wgs84, graph.UtmEpsg));
        var edges = new List<PostmanEdge>(graph.Edges.Count);
        var required = 0;
        foreach (var e in graph.Edges)
        {
            var forward = double.IsFinite(e.ForwardSeconds);
            var backward = double.IsFinite(e.BackwardSeconds);
            // A street the mode cannot use either way stays in the list (indices match the graph) at a cost nobody pays.
            var cost = forward ? e.ForwardSeconds : backward ? e.BackwardSeconds : 1e9;
            var mine = (forward || backward) && Holds(utmSector, e.Geometry);
            if (mine) required++;
            edges.Add(forward && !backward ? new PostmanEdge(e.From, e.To, cost, true, mine, e.Id)
                : !forward && backward ? new PostmanEdge(e.To, e.From, cost, true, mine, e.Id)
                : new PostmanEdge(e.From, e.To, cost, false, mine, e.Id));
        }
        if (required == 0) throw new SectorWithoutStreetsException(sectorName);
        var postman = new PostmanGraph(graph.NodeCount, edges);

        var startNode = NearestNode(graph, start ?? sector.InteriorPoint, double.PositiveInfinity)
                        ?? throw new RefusalException(Note.Of("route.refused_no_start", ("sector", sectorName)), nameof(start));
        // Heuristic tours only: the integer model stops on the wall clock, so whether it proves a better tour in time
        // depends on the machine's load, and a plan's seed must give the same walk everywhere (the CLI and the service
        // agree). The model's proven bound and tours are in `barrio bench routes`.
        var tour = ChinesePostman.Solve(postman, startNode, options.Seed, PatrolPostman);

        var notes = new List<Note>(tour.Notes);
        var spots = new List<RouteHotspot>();
        foreach (var (name, place) in hotspots)
        {
            if (NearestNode(graph, place, 200) is { } node) spots.Add(new RouteHotspot($"H{spots.Count + 1}", name, node));
            else notes.Add(Note.Of("route.hotspot_off_network", ("name", name)));
        }
        // Reversed one-way streets are digitised To → From in the postman graph: their line is reversed to match.
        var geometry = new RouteGeometry(graph.UtmEpsg, graph.NodeCoordinate, e =>
            edges[e].From == graph.Edges[e].From ? graph.Edges[e].Geometry : (LineString)graph.Edges[e].Geometry.Reverse());
        return new Prepared(edges, postman, tour, geometry, spots, options with { EdgeSeconds = e => edges[e].Cost }, notes);
    }

    /// <summary>Incidents within 100 m of each street (UTM).</summary>
    private static double[] Weights(StreetGraph graph, List<PostmanEdge> edges, IReadOnlyList<Point> incidents)
    {
        var points = incidents.Select(p => Crs.Transform(p, Crs.Wgs84, graph.UtmEpsg)).ToList();
        var weights = new double[edges.Count];
        for (var e = 0; e < edges.Count; e++)
        {
            if (!edges[e].Required) continue;
            var line = graph.Edges[e].Geometry;
            var env = line.EnvelopeInternal.Copy();
            env.ExpandBy(100);
            foreach (var p in points)
                if (env.Contains(p.Coordinate) && line.IsWithinDistance(p, 100)) weights[e]++;
        }
        return weights;
    }

    private static int? NearestNode(StreetGraph graph, Point lonlat, double toleranceMeters)
    {
        var at = graph.Snap(lonlat, double.IsFinite(toleranceMeters) ? toleranceMeters : 1e7);
        if (at is not { } loc) return null;
        var e = graph.Edges[loc.Edge];
        return loc.Fraction <= 0.5 ? e.From : e.To;
    }
}
