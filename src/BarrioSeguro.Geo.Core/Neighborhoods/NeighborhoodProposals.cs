using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Neighborhoods;

/// <summary>A block as a neighbourhood is made of it: its id and polygon (lon/lat).</summary>
public sealed record BlockShape(string Id, Polygon Geometry);

/// <summary>A boundary built from blocks, with the blocks used and what else a planner should know.</summary>
public sealed record NeighborhoodProposal(MultiPolygon Boundary, IReadOnlyList<string> BlockIds, IReadOnlyList<Note> Notes);

/// <summary>Options of the hot-spot proposal. Distances in metres.</summary>
public sealed record HotspotOptions
{
    /// <summary>Two incidents closer than this are neighbours in the density clustering (DBSCAN's eps).</summary>
    public double RadiusMeters { get; init; } = 150;
    /// <summary>Incidents (the point itself included) within the radius that make a core point (DBSCAN's minPts).</summary>
    public int MinIncidents { get; init; } = 4;
    /// <summary>How many of the densest clusters to keep.</summary>
    public int MaxClusters { get; init; } = 1;
}

/// <summary>
/// Neighbourhood boundaries made of whole blocks, so they follow streets by construction: the union of chosen blocks, or a
/// proposal around incident hot spots for a planner to start from.
/// </summary>
public static class NeighborhoodProposals
{
    /// <summary>The union of the blocks with the given ids.</summary>
    /// <exception cref="ArgumentException">An id names no block, or no id is given.</exception>
    public static NeighborhoodProposal FromBlocks(IReadOnlyList<BlockShape> blocks, IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0) throw new RefusalException(Note.Of("neighborhood.refused_no_block"), nameof(ids));
        var byId = blocks.ToDictionary(b => b.Id);
        var unknown = ids.Where(id => !byId.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
            throw new RefusalException(Note.Of("neighborhood.refused_unknown_blocks", ("blocks", unknown)), nameof(ids));
        var chosen = ids.Distinct().Select(id => byId[id]).ToList();
        return Union(chosen, [], fillHoles: false);
    }

    /// <summary>
    /// Clusters the incidents by density (DBSCAN in the UTM zone of the data), keeps the densest clusters, and returns
    /// the union of the blocks that hold a clustered incident or lie within the radius of one, with holes filled.
    /// </summary>
    /// <exception cref="ArgumentException">No incidents, or no cluster at these settings.</exception>
    public static NeighborhoodProposal FromHotspots(IReadOnlyList<Point> incidents, IReadOnlyList<BlockShape> blocks, HotspotOptions? options = null)
    {
        options ??= new HotspotOptions();
        if (incidents.Count == 0) throw new RefusalException(Note.Of("neighborhood.refused_no_incidents"), nameof(incidents));
        if (blocks.Count == 0) throw new RefusalException(Note.Of("neighborhood.refused_no_blocks"), nameof(blocks));
        var zone = Crs.UtmZoneFor(blocks[0].Geometry);
        var points = incidents.Select(p => Crs.Transform(p, Crs.Wgs84, zone)).ToList();
        var clusters = Dbscan(points, options.RadiusMeters, options.MinIncidents)
            .OrderByDescending(c => c.Count).Take(options.MaxClusters).ToList();
        if (clusters.Count == 0)
            throw new RefusalException(Note.Of("neighborhood.refused_no_hotspot", ("count", options.MinIncidents), ("radius", options.RadiusMeters)), nameof(options));

        var index = new STRtree<(BlockShape Block, Geometry Utm)>();
        foreach (var b in blocks)
        {
            var utm = Crs.Transform(b.Geometry, Crs.Wgs84, zone);
            index.Insert(utm.EnvelopeInternal, (b, utm));
        }
        var chosen = new Dictionary<string, BlockShape>();
        foreach (var p in clusters.SelectMany(c => c))
        {
            var search = p.EnvelopeInternal.Copy();
            search.ExpandBy(options.RadiusMeters);
            foreach (var (block, utm) in index.Query(search))
                if (utm.IsWithinDistance(p, options.RadiusMeters)) chosen.TryAdd(block.Id, block);
        }
        var notes = new List<Note>
        {
            Note.Of("neighborhood.hotspots", ("count", clusters.Count), ("sizes", clusters.Select(c => c.Count)), ("radius", options.RadiusMeters), ("min", options.MinIncidents)),
        };
        return Union(chosen.Values.OrderBy(b => b.Id, StringComparer.Ordinal).ToList(), notes, fillHoles: true);
    }

    private static NeighborhoodProposal Union(List<BlockShape> chosen, List<Note> notes, bool fillHoles)
    {
        var factory = chosen[0].Geometry.Factory;
        // Blocks tile without overlaps, so the coverage union is exact and fast; shared edges vanish.
        var union = CoverageUnion.Union(chosen.Select(b => (Geometry)b.Geometry).ToArray());
        // A proposal swallows the unchosen blocks it surrounds; a planner's own choice keeps them out.
        var polygons = Enumerable.Range(0, union.NumGeometries).Select(union.GetGeometryN).OfType<Polygon>()
            .Select(p => fillHoles ? factory.CreatePolygon((LinearRing)p.ExteriorRing) : p)
            .ToArray();
        var boundary = factory.CreateMultiPolygon(polygons);
        var merged = boundary.Union();
        boundary = merged as MultiPolygon ?? factory.CreateMultiPolygon([(Polygon)merged]);
        if (boundary.NumGeometries > 1)
            notes.Add(Note.Of("neighborhood.parts", ("count", boundary.NumGeometries)));
        return new NeighborhoodProposal(boundary, chosen.Select(b => b.Id).ToList(), notes);
    }

    /// <summary>Density-based clusters (DBSCAN); noise points are left out. O(n log n) with a spatial index.</summary>
    private static List<List<Point>> Dbscan(List<Point> points, double eps, int minPts)
    {
        var index = new STRtree<int>();
        for (var i = 0; i < points.Count; i++) index.Insert(points[i].EnvelopeInternal, i);
        List<int> Neighbours(int i)
        {
            var box = points[i].EnvelopeInternal.Copy();
            box.ExpandBy(eps);
            return index.Query(box).Where(j => points[j].Distance(points[i]) <= eps).ToList();
        }
        var label = new int[points.Count]; // 0 unvisited, -1 noise, >0 cluster
        var clusters = new List<List<Point>>();
        for (var i = 0; i < points.Count; i++)
        {
            if (label[i] != 0) continue;
            var seeds = Neighbours(i);
            if (seeds.Count < minPts) { label[i] = -1; continue; }
            var id = clusters.Count + 1;
            var members = new List<Point>();
            clusters.Add(members);
            var queue = new Queue<int>(seeds);
            label[i] = id;
            members.Add(points[i]);
            while (queue.Count > 0)
            {
                var j = queue.Dequeue();
                if (label[j] == -1) { label[j] = id; members.Add(points[j]); }
                if (label[j] != 0) continue;
                label[j] = id;
                members.Add(points[j]);
                var more = Neighbours(j);
                if (more.Count >= minPts) foreach (var k in more) queue.Enqueue(k);
            }
        }
        return clusters;
    }
}
