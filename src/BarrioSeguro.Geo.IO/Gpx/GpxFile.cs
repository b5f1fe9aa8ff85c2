using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace BarrioSeguro.Geo.IO.Gpx;

/// <summary>
/// Reads GPX 1.1 (and 1.0) with NetTopologySuite.IO.GPX, as GDAL's GPX driver exposes it: waypoints as points, routes
/// as lines and tracks as multi-lines (one part per segment), in that order, in EPSG:4326. Attributes as GDAL names
/// them: <c>name</c>, <c>cmt</c>, <c>desc</c>, <c>src</c>, <c>type</c>, and <c>ele</c>, <c>time</c>, <c>sym</c> for
/// waypoints or <c>number</c> for routes and tracks; every simple element in <c>&lt;extensions&gt;</c> (ours, GDAL's
/// <c>ogr:</c> fields) is an attribute too, a number or boolean when its text reads back the same, so what
/// <see cref="GpxFeatures"/> wrote comes back with its values. Route and track points are not separate layers here.
/// </summary>
public static class GpxFile
{
    /// <exception cref="InvalidVectorFileException">Empty, not GPX XML, a bad coordinate, a route or track segment of
    /// one point, or over an <see cref="InputLimits"/> limit.</exception>
    public static FeatureSet Read(string path)
    {
        var info = new FileInfo(path);
        if (info.Length == 0) throw new InvalidVectorFileException(path, Note.Of("io.empty_file"));
        var visitor = new Collector(path);
        try
        {
            using var stream = File.OpenRead(path);
            using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = false });
            GpxReader.Read(xml, new GpxReaderSettings { IgnoreBadDateTime = true, IgnoreUnexpectedChildrenOfTopLevelElement = true }, visitor);
        }
        catch (XmlException e)
        {
            throw new InvalidVectorFileException(path, Note.Of("io.gpx_unreadable", ("detail", e.Message.ReplaceLineEndings(" "))), e);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new InvalidVectorFileException(path, Note.Of("io.gpx_unreadable", ("detail", e.Message.ReplaceLineEndings(" "))), e);
        }
        return new FeatureSet([.. visitor.Waypoints, .. visitor.Routes, .. visitor.Tracks], Crs.Wgs84);
    }

    private sealed class Collector(string path) : GpxVisitorBase
    {
        private static readonly GeometryFactory Factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(Crs.Wgs84);
        private long _vertices;

        public List<IFeature> Waypoints { get; } = [];
        public List<IFeature> Routes { get; } = [];
        public List<IFeature> Tracks { get; } = [];

        public override void VisitWaypoint(GpxWaypoint waypoint)
        {
            Count(1);
            var a = new AttributesTable();
            Add(a, "name", waypoint.Name);
            Add(a, "cmt", waypoint.Comment);
            Add(a, "desc", waypoint.Description);
            Add(a, "src", waypoint.Source);
            Add(a, "sym", waypoint.SymbolText);
            Add(a, "type", waypoint.Classification);
            if (waypoint.ElevationInMeters is { } ele) a.Add("ele", ele);
            if (waypoint.TimestampUtc is { } time) a.Add("time", DateTime.SpecifyKind(time, DateTimeKind.Utc));
            Extensions(a, waypoint.Extensions);
            Waypoints.Add(new Feature(Factory.CreatePoint(Coordinate(waypoint)), a));
        }

        public override void VisitRoute(GpxRoute route)
        {
            var feature = Routes.Count + 1;
            var points = route.Waypoints.Select(Coordinate).ToArray();
            Count(points.Length);
            if (points.Length < 2) throw new InvalidVectorFileException(path, Note.Of("io.gpx_short_route", ("feature", feature), ("points", points.Length)));
            var a = Describe(route.Name, route.Comment, route.Description, route.Source, route.Classification, route.Number);
            Extensions(a, route.Extensions);
            Routes.Add(new Feature(Factory.CreateLineString(points), a));
        }

        public override void VisitTrack(GpxTrack track)
        {
            var feature = Tracks.Count + 1;
            var lines = new List<LineString>();
            foreach (var segment in track.Segments)
            {
                var points = segment.Waypoints.Select(Coordinate).ToArray();
                Count(points.Length);
                if (points.Length == 0) continue; // an empty <trkseg/> holds nothing
                if (points.Length < 2) throw new InvalidVectorFileException(path, Note.Of("io.gpx_short_segment", ("feature", feature), ("points", points.Length)));
                lines.Add(Factory.CreateLineString(points));
            }
            var a = Describe(track.Name, track.Comment, track.Description, track.Source, track.Classification, track.Number);
            Extensions(a, track.Extensions);
            Tracks.Add(new Feature(lines.Count == 0 ? null : Factory.CreateMultiLineString([.. lines]), a));
        }

        // Counted as the file streams in: a huge file stops here, not after filling memory.
        private void Count(int points)
        {
            _vertices += points;
            if (Waypoints.Count + Routes.Count + Tracks.Count >= InputLimits.FeaturesPerFile || _vertices > InputLimits.VerticesPerFile)
                throw new InvalidVectorFileException(path, Note.Of("io.gpx_limits", ("features", InputLimits.FeaturesPerFile), ("vertices", InputLimits.VerticesPerFile)));
        }

        private static Coordinate Coordinate(GpxWaypoint p) => p.ElevationInMeters is { } ele
            ? new CoordinateZ(p.Longitude.Value, p.Latitude.Value, ele)
            : new Coordinate(p.Longitude.Value, p.Latitude.Value);

        private static AttributesTable Describe(string? name, string? cmt, string? desc, string? src, string? type, uint? number)
        {
            var a = new AttributesTable();
            Add(a, "name", name);
            Add(a, "cmt", cmt);
            Add(a, "desc", desc);
            Add(a, "src", src);
            if (number is { } n) a.Add("number", (long)n);
            Add(a, "type", type);
            return a;
        }

        private static void Add(AttributesTable a, string key, string? value)
        {
            if (value is not null) a.Add(key, value);
        }

        // Simple elements of <extensions> (the reader gives them as XElements): typed when the text reads back the same.
        private static void Extensions(AttributesTable a, object? extensions)
        {
            if (extensions is not IEnumerable<XElement> elements) return;
            foreach (var e in elements)
            {
                if (e.HasElements) continue;
                var key = e.Name.LocalName;
                var value = Typed(e.Value);
                if (a.Exists(key)) a[key] = value;
                else a.Add(key, value);
            }
        }

        private static object Typed(string text)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) && l.ToString(CultureInfo.InvariantCulture) == text) return l;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && AttributeSchema.AsText(d) == text) return d;
            return text switch { "true" => true, "false" => false, _ => text };
        }
    }
}
