using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO;

/// <summary>
/// What every file read must pass before anything uses it: the <see cref="InputLimits"/> on features and vertices, and
/// coordinates that can be in the CRS the file names. UTM metres in a file that names no CRS (read as EPSG:4326)
/// would otherwise become "UTM zone 60N", and swapped axes "UTM 29S". Z and M values pass (a conversion keeps them;
/// what stores a geometry keeps its 2D, see Core's Flat2D).
/// </summary>
public static class InputCheck
{
    /// <exception cref="InvalidVectorFileException">A limit is exceeded or the coordinates are implausible.</exception>
    public static FeatureSet Checked(string path, FeatureSet set)
    {
        if (InputLimits.FileFeatures(set.Count) is { } many)
            throw new InvalidVectorFileException(path, many);
        long total = 0;
        for (var i = 0; i < set.Count; i++)
        {
            if (set.Features[i].Geometry is not { } g) continue;
            if (InputLimits.FeatureVertices(i + 1, g.NumPoints) is { } big)
                throw new InvalidVectorFileException(path, big);
            total += g.NumPoints;
        }
        if (InputLimits.FileVertices(total) is { } huge)
            throw new InvalidVectorFileException(path, huge);
        if (Implausible(set.Features, set.Epsg) is { } why) throw new InvalidVectorFileException(path, why);
        return set;
    }

    /// <summary>Why the coordinates cannot be in <paramref name="epsg"/>; null when they can.</summary>
    public static Note? Implausible(IReadOnlyList<IFeature> features, int epsg)
    {
        var envelope = new Envelope();
        foreach (var f in features)
            if (f.Geometry is { IsEmpty: false } g) envelope.ExpandToInclude(g.EnvelopeInternal);
        if (envelope.IsNull) return null;
        foreach (var f in features)
            if (f.Geometry is { } g && g.Coordinates.FirstOrDefault(c => !double.IsFinite(c.X) || !double.IsFinite(c.Y)) is { } bad)
                return Note.Of("io.coordinate_nan", ("x", bad.X.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("y", bad.Y.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var geographic = Crs.IsGeographic(epsg);
        var name = Crs.NameOf(epsg);
        if (geographic)
        {
            if (envelope.MinX < -180 || envelope.MaxX > 180 || envelope.MinY < -90 || envelope.MaxY > 90)
                return Note.Of("io.crs_looks_projected", ("x", Far(envelope.MinX, envelope.MaxX)), ("y", Far(envelope.MinY, envelope.MaxY)), ("crs", name), ("epsg", epsg));
            var peru = InputGeometryCheck.PeruExtent;
            if (!envelope.Intersects(peru) && peru.Contains(new Envelope(envelope.MinY, envelope.MaxY, envelope.MinX, envelope.MaxX)))
                return Note.Of("io.axes_swapped", ("x", envelope.MinX), ("y", envelope.MinY));
            return null;
        }
        if (envelope.MinX >= -180 && envelope.MaxX <= 180 && envelope.MinY >= -90 && envelope.MaxY <= 90)
            return Note.Of("io.crs_looks_degrees", ("x", envelope.MinX), ("y", envelope.MinY), ("crs", name), ("epsg", epsg));
        try
        {
            foreach (var (x, y) in new[] { (envelope.MinX, envelope.MinY), (envelope.MaxX, envelope.MaxY) })
            {
                var (lon, lat) = Crs.Transform(x, y, epsg, Crs.Wgs84);
                if (!double.IsFinite(lon) || !double.IsFinite(lat) || Math.Abs(lon) > 180 || Math.Abs(lat) > 90)
                    return Note.Of("io.outside_crs_area_at", ("x", x), ("y", y), ("crs", name), ("epsg", epsg));
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return Note.Of("io.outside_crs_area", ("crs", name), ("epsg", epsg));
        }
        return null;
    }

    private static double Far(double min, double max) => Math.Abs(min) > Math.Abs(max) ? min : max;
}
