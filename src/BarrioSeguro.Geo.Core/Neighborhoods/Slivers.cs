using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Neighborhoods;

/// <summary>
/// The sliver definition shared by <see cref="BoundaryValidator"/> and <see cref="BoundaryRepairer"/>, on a valid
/// polygonal geometry in metres (UTM). A sliver is either
/// <list type="number">
/// <item>a whole part smaller than <see cref="BoundaryRules.SliverMaxAreaSquareMeters"/> when the boundary has other
/// parts, or a whole part no wider than <see cref="BoundaryRules.SliverMaxWidthMeters"/> anywhere; or</item>
/// <item>a thin piece of a part: a connected piece of <c>part − opening(part)</c>, where the opening is the part shrunk by
/// half the width and grown back (a morphological opening), whose area is at least width². The opening removes exactly
/// what a disc of that width cannot reach: spikes, necks and corridors narrower than the width. Ordinary corners lose a
/// little area to the rounding too (about 0.5 m² at a right angle for a 3 m width), hence the width² floor; corners
/// sharper than about 20° are thin enough to count.</item>
/// </list>
/// </summary>
internal static class Slivers
{
    public sealed record Sliver(Geometry Piece, bool WholePart);

    public static IReadOnlyList<Sliver> Find(Geometry validUtm, BoundaryRules rules)
    {
        var parts = MetricFrame.Polygonal(validUtm).Geometries.Cast<Polygon>().ToList();
        var found = new List<Sliver>();
        var width = rules.SliverMaxWidthMeters;
        foreach (var part in parts)
        {
            if (parts.Count > 1 && part.Area < rules.SliverMaxAreaSquareMeters)
            {
                found.Add(new Sliver(part, true));
                continue;
            }
            if (width <= 0) continue;
            var opening = part.Buffer(-width / 2).Buffer(width / 2);
            if (opening.IsEmpty)
            {
                found.Add(new Sliver(part, true));
                continue;
            }
            var residue = MetricFrame.Polygonal(MetricFrame.Difference(part, opening));
            foreach (var piece in residue.Geometries.Where(p => p.Area >= width * width))
                found.Add(new Sliver(piece, false));
        }
        return found;
    }
}
