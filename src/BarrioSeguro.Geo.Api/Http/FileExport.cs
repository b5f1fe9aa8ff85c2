using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.IO;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Features sent as a file download, the one path of every export (collections, plan layers): the format and CRS read
/// from the query, the file written by <see cref="VectorFile.Write"/> (as the CLI's <c>barrio export</c>) into a private
/// temporary folder, then sent whole with a file name that says what it is and in which CRS.
/// </summary>
public static class FileExport
{
    /// <summary>A format the service exports: the names the query takes, its extension and content type.</summary>
    public sealed record Format(string Name, string[] Aliases, string Extension, string ContentType);

    public static readonly Format Shapefile = new("shapefile", ["shapefile", "shp", "zip"], ".zip", "application/zip");
    public static readonly Format GeoPackage = new("geopackage", ["geopackage", "gpkg"], ".gpkg", "application/geopackage+sqlite3");
    public static readonly Format GeoJsonFile = new("geojson", ["geojson", "json"], ".geojson", "application/geo+json");
    public static readonly Format Kml = new("kml", ["kml"], ".kml", "application/vnd.google-earth.kml+xml");
    public static readonly Format Csv = new("csv", ["csv"], ".csv", "text/csv; charset=utf-8");
    public static readonly Format Gpx = new("gpx", ["gpx"], ".gpx", "application/gpx+xml");
    public static readonly Format FlatGeobuf = new("flatgeobuf", ["flatgeobuf", "fgb"], ".fgb", "application/flatgeobuf");

    /// <summary>What collections export (GPX is for routes: a plan's routes layer).</summary>
    public static readonly IReadOnlyList<Format> CollectionFormats = [Shapefile, GeoPackage, GeoJsonFile, Kml, Csv, FlatGeobuf];

    /// <summary>The content types of every format, for the OpenAPI document.</summary>
    public static readonly string[] ContentTypes = [Shapefile.ContentType, GeoPackage.ContentType, GeoJsonFile.ContentType, Kml.ContentType, Csv.ContentType, Gpx.ContentType, FlatGeobuf.ContentType];

    /// <summary>The format a query names among <paramref name="allowed"/> (null: shapefile), or a 400 naming the parameter;
    /// <paramref name="gpxNote"/>: the note (of the format and the formats allowed) said when GPX is asked but not allowed.</summary>
    public static (Format? Format, BadRequestProblem? Problem) ParseFormat(string? format, IReadOnlyList<Format> allowed, Func<string, string[], Note>? gpxNote = null)
    {
        var text = (format ?? Shapefile.Name).Trim().ToLowerInvariant();
        if (allowed.FirstOrDefault(f => f.Aliases.Contains(text)) is { } found) return (found, null);
        var names = allowed.Select(f => f.Name).ToArray();
        // GPX asked where it is not offered: the note (same arguments) that also says where GPX is.
        var reason = Gpx.Aliases.Contains(text) && gpxNote is not null
            ? gpxNote(format ?? "", names)
            : Note.Of("export.unknown_format", ("format", format ?? ""), ("formats", names));
        return (null, Problems.BadRequest("Unknown format", reason, Parameter("format")));
    }

    /// <summary>
    /// The target CRS a query names (null: the format's default), or a 400 naming the parameter: an unknown code, or a
    /// CRS other than EPSG:4326 for KML and GPX (they hold longitude/latitude only).
    /// </summary>
    public static (int? Epsg, BadRequestProblem? Problem) ParseCrs(string? crs, Format format)
    {
        if (string.IsNullOrWhiteSpace(crs)) return (null, null);
        int epsg;
        try { epsg = Crs.Parse(crs.Trim()); }
        catch (UnknownCrsException ex) { return (null, Problems.BadRequest("Unknown CRS", ApiErrors.UnknownCrs(ex), Parameter("crs"))); }
        if (epsg != Crs.Wgs84 && (format == Kml || format == Gpx))
            return (null, Problems.BadRequest("Invalid crs",
                Note.Of("export.lonlat_only", ("crs", crs), ("format", format.Name.ToUpperInvariant())), Parameter("crs")));
        return (epsg, null);
    }

    /// <summary>
    /// Writes the features (in EPSG:4326) as <paramref name="format"/> in <paramref name="target"/> (null: EPSG:4326 for
    /// GeoJSON, KML, GPX and CSV; else the UTM zone of the data) and answers the file, named
    /// <c>{baseName}_epsg{code}{extension}</c>. GeoJSON is always EPSG:4326 (RFC 7946). What the format cut goes in
    /// <see cref="WarningHeaders"/>.
    /// </summary>
    public static async Task<FileContentHttpResult> SendAsync(
        IReadOnlyList<IFeature> features, string baseName, Format format, int? target, HttpResponse http, CancellationToken ct)
    {
        if (format == GeoJsonFile || format == Kml || format == Gpx) target = Crs.Wgs84;
        target ??= format == Csv ? Crs.Wgs84 : Crs.UtmZoneFor(new GeometryCollection(features.Select(f => f.Geometry).Where(g => g is not null).ToArray()));
        var fileName = $"{Safe(baseName)}_epsg{target.Value}{format.Extension}";
        // Opened by URL too (GDAL /vsicurl/, QGIS): the same bytes for the same data, with ETag, Last-Modified and ranges.
        var written = await ExportFiles.GetOrWriteAsync(features, fileName, target.Value, ct);
        // Nothing is cut silently: each field name and value the format shortened goes with the download.
        WarningHeaders.Add(http, written.Notes);
        return TypedResults.File(written.Bytes, format.ContentType, fileName, enableRangeProcessing: true, lastModified: written.LastModified, entityTag: written.ETag);
    }

    /// <summary>
    /// A collection streamed from PostGIS into the file (<see cref="FeatureRows"/>): the file is kept on disk by the
    /// collection's data version (<see cref="FeatureRows.VersionAsync"/>) and the query, so a repeated request and its
    /// Range reads are served from the kept file without reading a row. The default CRS comes from the extent PostGIS
    /// computes for the same query. Null when the query matches nothing.
    /// </summary>
    public static async Task<PhysicalFileHttpResult?> SendCollectionAsync(FeatureRows rows, string collection, Envelope? bbox,
        IReadOnlyCollection<string>? districts, Format format, int? target, HttpResponse http, CancellationToken ct)
    {
        if (format == GeoJsonFile || format == Kml || format == Gpx) target = Crs.Wgs84;
        if (target is null && format == Csv) target = Crs.Wgs84;
        var version = await rows.VersionAsync(collection, districts, ct);
        var limit = districts is { Count: > 0 } ? string.Join(',', districts.Order(StringComparer.Ordinal)) : "";
        var box = bbox is null ? "" : FormattableString.Invariant($"{bbox.MinX},{bbox.MinY},{bbox.MaxX},{bbox.MaxY}");
        var key = $"{collection}|{version}|{limit}|{box}|{format.Name}|{target}";
        if (target is null)
        {
            // The default CRS names the file, so it is known before the first row: the UTM zone of the rows' extent.
            if (await rows.ExtentAsync(collection, bbox, districts, ct) is not { } extent) return null;
            target = Crs.UtmZoneFor((extent.MinX + extent.MaxX) / 2, (extent.MinY + extent.MaxY) / 2);
        }
        var fileName = $"{Safe(collection)}_epsg{target.Value}{format.Extension}";
        // Without a version (no trigger keeps one) the file is written for this request only.
        if (version is null) key += $"|{Guid.NewGuid():N}";
        var kept = await ExportFiles.GetOrWriteAsync(key, fileName, target, () => FeatureRows.NonEmpty(rows.Read(collection, bbox, districts)), ct);
        if (kept is null) return null;
        WarningHeaders.Add(http, kept.Notes);
        return TypedResults.PhysicalFile(kept.Path, format.ContentType, kept.FileName, lastModified: kept.LastModified, entityTag: kept.ETag, enableRangeProcessing: true);
    }

    public static Dictionary<string, object?> Parameter(string name) => new() { ["parameter"] = name };

    // File names of letters, digits, '_' and '-' only: the same on every system and in a Content-Disposition.
    private static string Safe(string name) =>
        new(name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' ? ch : '_').ToArray());
}
