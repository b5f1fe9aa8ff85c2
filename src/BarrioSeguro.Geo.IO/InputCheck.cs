using System.Globalization;
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
        if (InputLimits.TooMany("the file", set.Count, InputLimits.FeaturesPerFile, "features") is { } many)
            throw new InvalidVectorFileException(path, many);
        long total = 0;
        for (var i = 0; i < set.Count; i++)
        {
            if (set.Features[i].Geometry is not { } g) continue;
            if (InputLimits.TooMany($"feature #{i + 1}", g.NumPoints, InputLimits.VerticesPerGeometry, "vertices") is { } big)
                throw new InvalidVectorFileException(path, big);
            total += g.NumPoints;
        }
        if (InputLimits.TooMany("the file", total, InputLimits.VerticesPerFile, "vertices") is { } huge)
            throw new InvalidVectorFileException(path, huge);
        if (Implausible(set.Features, set.Epsg) is { } why) throw new InvalidVectorFileException(path, why);
        return set;
    }

    /// <summary>Why the coordinates cannot be in <paramref name="epsg"/>; null when they can.</summary>
    public static string? Implausible(IReadOnlyList<IFeature> features, int epsg)
    {
        var envelope = new Envelope();
        foreach (var f in features)
            if (f.Geometry is { IsEmpty: false } g) envelope.ExpandToInclude(g.EnvelopeInternal);
        if (envelope.IsNull) return null;
        foreach (var f in features)
            if (f.Geometry is { } g && g.Coordinates.FirstOrDefault(c => !double.IsFinite(c.X) || !double.IsFinite(c.Y)) is { } bad)
                return string.Create(CultureInfo.InvariantCulture, $"a coordinate ({bad.X}, {bad.Y}) is not a finite number");
        var geographic = Crs.IsGeographic(epsg);
        var name = $"{Crs.NameOf(epsg)} (EPSG:{epsg})";
        if (geographic)
        {
            if (envelope.MinX < -180 || envelope.MaxX > 180 || envelope.MinY < -90 || envelope.MaxY > 90)
                return string.Create(CultureInfo.InvariantCulture,
                    $"coordinates up to ({Far(envelope.MinX, envelope.MaxX)}, {Far(envelope.MinY, envelope.MaxY)}) cannot be longitude and latitude of {name}; they look like projected metres (UTM?). Name the file's CRS (a .prj, or a \"crs\" member in GeoJSON)");
            var peru = InputGeometryCheck.PeruExtent;
            if (!envelope.Intersects(peru) && peru.Contains(new Envelope(envelope.MinY, envelope.MaxY, envelope.MinX, envelope.MaxX)))
                return string.Create(CultureInfo.InvariantCulture,
                    $"latitude and longitude look swapped: ({envelope.MinX}, {envelope.MinY}) lies far from Peru, but ({envelope.MinY}, {envelope.MinX}) inside it. Longitude comes first");
            return null;
        }
        if (envelope.MinX >= -180 && envelope.MaxX <= 180 && envelope.MinY >= -90 && envelope.MaxY <= 90)
            return string.Create(CultureInfo.InvariantCulture,
                $"coordinates such as ({envelope.MinX}, {envelope.MinY}) look like degrees, not the metres of {name}. Check the file's CRS (its .prj or \"crs\" member)");
        try
        {
            foreach (var (x, y) in new[] { (envelope.MinX, envelope.MinY), (envelope.MaxX, envelope.MaxY) })
            {
                var (lon, lat) = Crs.Transform(x, y, epsg, Crs.Wgs84);
                if (!double.IsFinite(lon) || !double.IsFinite(lat) || Math.Abs(lon) > 180 || Math.Abs(lat) > 90)
                    return string.Create(CultureInfo.InvariantCulture, $"coordinate ({x}, {y}) lies outside the area of {name}");
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return $"coordinates lie outside the area of {name}";
        }
        return null;
    }

    private static double Far(double min, double max) => Math.Abs(min) > Math.Abs(max) ? min : max;
}
