using NetTopologySuite.Geometries;
using SkiaSharp;

namespace BarrioSeguro.Geo.Printing;

/// <summary>
/// Places a metric extent (UTM metres, x east, y north) on a page rectangle (points, y down) at one scale for both axes,
/// centred, with north up. The extent grows by <paramref name="marginRatio"/> on each side so outlines do not touch the frame.
/// </summary>
public sealed class MapFrame
{
    public SKRect Page { get; }
    public Envelope Extent { get; }
    /// <summary>Page points per metre.</summary>
    public double Scale { get; }

    public MapFrame(Envelope extent, SKRect page, double marginRatio = 0.06)
    {
        if (extent.IsNull) throw new ArgumentException("An empty extent cannot be placed on a page.", nameof(extent));
        var e = extent.Copy();
        var pad = Math.Max(Math.Max(e.Width, e.Height) * marginRatio, 10);
        e.ExpandBy(pad);
        Scale = Math.Min(page.Width / e.Width, page.Height / e.Height);
        // Grow the extent to the page's shape so the centre stays the centre.
        var w = page.Width / Scale;
        var h = page.Height / Scale;
        var c = e.Centre;
        Extent = new Envelope(c.X - w / 2, c.X + w / 2, c.Y - h / 2, c.Y + h / 2);
        Page = page;
    }

    /// <summary>Metres per page point: what the scale bar needs.</summary>
    public double MetresPerPoint => 1 / Scale;

    public SKPoint ToPage(double x, double y) =>
        new((float)(Page.Left + (x - Extent.MinX) * Scale), (float)(Page.Top + (Extent.MaxY - y) * Scale));

    public SKPoint ToPage(Coordinate c) => ToPage(c.X, c.Y);

    /// <summary>True when a geometry's envelope meets the frame (cheap culling before drawing).</summary>
    public bool Sees(Geometry g) => Extent.Intersects(g.EnvelopeInternal);

    /// <summary>A Skia path of the polygons (even-odd, so holes stay holes) or lines of a geometry.</summary>
    public SKPath PathOf(Geometry g)
    {
        using var path = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
        Add(path, g);
        return path.Detach();
    }

    private void Add(SKPathBuilder path, Geometry g)
    {
        switch (g)
        {
            case Polygon p:
                Ring(path, p.ExteriorRing.Coordinates, close: true);
                foreach (var hole in p.InteriorRings) Ring(path, hole.Coordinates, close: true);
                break;
            case LineString l:
                Ring(path, l.Coordinates, close: false);
                break;
            case GeometryCollection c:
                for (var i = 0; i < c.NumGeometries; i++) Add(path, c.GetGeometryN(i));
                break;
        }
    }

    private void Ring(SKPathBuilder path, Coordinate[] cs, bool close)
    {
        if (cs.Length == 0) return;
        path.MoveTo(ToPage(cs[0]));
        for (var i = 1; i < cs.Length; i++) path.LineTo(ToPage(cs[i]));
        if (close) path.Close();
    }
}
