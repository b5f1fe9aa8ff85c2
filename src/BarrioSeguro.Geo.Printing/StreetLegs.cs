using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace BarrioSeguro.Geo.Printing;

/// <summary>The named streets around a neighbourhood in metres, indexed by segment to find which street a track piece runs on.</summary>
public sealed class StreetIndex
{
    /// <summary>How far (m) a track piece's midpoint may lie from a street's centreline to be on it.</summary>
    public const double Tolerance = 2.0;

    private readonly STRtree<(string? Name, LineSegment Segment)> tree = new();

    public StreetIndex(IEnumerable<(string? Name, LineString Line)> streets)
    {
        foreach (var (name, line) in streets)
            for (var i = 1; i < line.NumPoints; i++)
            {
                var seg = new LineSegment(line.GetCoordinateN(i - 1), line.GetCoordinateN(i));
                var env = new Envelope(seg.P0, seg.P1);
                tree.Insert(env, (string.IsNullOrWhiteSpace(name) ? null : name.Trim(), seg));
            }
        tree.Build();
    }

    /// <summary>The name of the street nearest <paramref name="at"/> within <see cref="Tolerance"/>; null when unnamed or none.</summary>
    public string? NameAt(Coordinate at)
    {
        var box = new Envelope(at);
        box.ExpandBy(Tolerance);
        string? best = null;
        var bestDistance = double.MaxValue;
        foreach (var (name, seg) in tree.Query(box))
        {
            var d = seg.Distance(at);
            // A named street wins a tie with an unnamed one drawn on top of it.
            if (d <= Tolerance && (d < bestDistance - 1e-6 || (Math.Abs(d - bestDistance) <= 1e-6 && best is null)))
            {
                best = name;
                bestDistance = d;
            }
        }
        return best;
    }
}

/// <summary>A stretch of a route on one street: the street walked before, the street (null: unnamed), its length in metres.</summary>
public sealed record StreetLeg(bool First, string? From, string? Street, double Metres);

/// <summary>
/// A route street by street: each track piece named by the street it runs on, consecutive pieces of the same name
/// merged ("Jr. Los Álamos → Av. Pachacútec, 350 m"). A piece shorter than <see cref="ShortPiece"/> between two
/// stretches of the same street (crossing an avenue at a junction) is counted in the stretch it interrupts.
/// </summary>
public static class StreetLegs
{
    /// <summary>Pieces under this length (m) do not break a stretch of one street.</summary>
    public const double ShortPiece = 15;

    public static IReadOnlyList<StreetLeg> Of(LineString track, StreetIndex streets)
    {
        var pieces = new List<(string? Name, double Metres)>();
        for (var i = 1; i < track.NumPoints; i++)
        {
            var a = track.GetCoordinateN(i - 1);
            var b = track.GetCoordinateN(i);
            var length = a.Distance(b);
            if (length <= 0) continue;
            pieces.Add((streets.NameAt(new Coordinate((a.X + b.X) / 2, (a.Y + b.Y) / 2)), length));
        }
        var merged = Merge(pieces);
        // A short interruption between two stretches of the same street belongs to that street.
        for (var i = 1; i + 1 < merged.Count; i++)
            if (merged[i].Metres < ShortPiece && merged[i - 1].Name == merged[i + 1].Name)
                merged[i] = (merged[i - 1].Name, merged[i].Metres);
        merged = Merge(merged);
        return merged.Select((m, i) => new StreetLeg(i == 0, i == 0 ? null : merged[i - 1].Name, m.Name, m.Metres)).ToList();
    }

    private static List<(string? Name, double Metres)> Merge(IEnumerable<(string? Name, double Metres)> pieces)
    {
        var merged = new List<(string? Name, double Metres)>();
        foreach (var p in pieces)
        {
            if (merged.Count > 0 && merged[^1].Name == p.Name) merged[^1] = (p.Name, merged[^1].Metres + p.Metres);
            else merged.Add(p);
        }
        return merged;
    }
}
