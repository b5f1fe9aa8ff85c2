using System.Globalization;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>
/// How much input the service and the CLI take, in one place, so that every refusal names its limit. Sized well over
/// real data (a district boundary of INEI has a few hundred vertices; a district's streets a few thousand features)
/// and well under what hurts: a boundary of a million vertices slows every later validation and costs gigabytes.
/// </summary>
public static class InputLimits
{
    /// <summary>Vertices of one geometry (a boundary, a street, a block).</summary>
    public const int VerticesPerGeometry = 50_000;

    /// <summary>Vertices of all the geometry in one file read by the CLI.</summary>
    public const int VerticesPerFile = 5_000_000;

    /// <summary>Features of one file (an import, a conversion).</summary>
    public const int FeaturesPerFile = 200_000;

    /// <summary>Characters of a neighbourhood's name.</summary>
    public const int NameLength = 200;

    /// <summary>Characters of a description.</summary>
    public const int DescriptionLength = 4_000;

    /// <summary>Characters of a change's comment.</summary>
    public const int CommentLength = 2_000;

    /// <summary>Characters of an author's name.</summary>
    public const int AuthorLength = 200;

    /// <summary>Entries of a zip archive (a shapefile set has 3 to 8 files per layer).</summary>
    public const int ZipEntries = 200;

    /// <summary>Uncompressed bytes of all the entries of a zip archive (1 GiB).</summary>
    public const long ZipUncompressedBytes = 1L << 30;

    /// <summary>Nesting depth of a JSON document (GeoJSON needs 6 for a MultiPolygon inside a FeatureCollection).</summary>
    public const int JsonDepth = 32;

    /// <summary>The refusal of a file of more than <see cref="FeaturesPerFile"/> features (null when within it).</summary>
    public static Note? FileFeatures(long count) => count <= FeaturesPerFile ? null
        : Note.Of("limits.file_features", ("count", count), ("limit", FeaturesPerFile));

    /// <summary>The refusal of a file of more than <see cref="VerticesPerFile"/> vertices (null when within it).</summary>
    public static Note? FileVertices(long count) => count <= VerticesPerFile ? null
        : Note.Of("limits.file_vertices", ("count", count), ("limit", VerticesPerFile));

    /// <summary>The refusal of feature number <paramref name="feature"/> (from 1) of more than <see cref="VerticesPerGeometry"/> vertices.</summary>
    public static Note? FeatureVertices(long feature, long count) => count <= VerticesPerGeometry ? null
        : Note.Of("limits.feature_vertices", ("feature", feature), ("count", count), ("limit", VerticesPerGeometry));

    /// <summary>The refusal of one geometry of more than <see cref="VerticesPerGeometry"/> vertices (null when within it).</summary>
    public static Note? GeometryVertices(long count) => count <= VerticesPerGeometry ? null
        : Note.Of("limits.geometry_vertices", ("count", count), ("limit", VerticesPerGeometry));

    /// <summary>The refusal of a zip of more than <see cref="ZipEntries"/> entries (null when within it).</summary>
    public static Note? ZipEntryCount(long count) => count <= ZipEntries ? null
        : Note.Of("limits.zip_entries", ("count", count), ("limit", ZipEntries));

    /// <summary>The refusal of a DBF that declares more than <see cref="FeaturesPerFile"/> records (null when within it).</summary>
    public static Note? DbfRecords(string file, long count) => count <= FeaturesPerFile ? null
        : Note.Of("limits.dbf_records", ("file", file), ("count", count), ("limit", FeaturesPerFile));

    /// <summary>The refusal of a text field longer than its limit (null when within it or absent).</summary>
    public static Note? FieldLength(string field, string? value, int limit) => value is null || value.Length <= limit ? null
        : Note.Of("limits.field_length", ("field", field), ("count", value.Length), ("limit", limit));

    /// <summary>"the boundary has 1,000,001 vertices; at most 50,000" (null when within the limit).</summary>
    public static string? TooMany(string what, long count, long limit, string unit) => count <= limit ? null
        : string.Create(CultureInfo.InvariantCulture, $"{what} has {count:N0} {unit}; at most {limit:N0} are allowed");

    /// <summary>"name has 5,242,880 characters; at most 200 are allowed" (null when within the limit or absent).</summary>
    public static string? TooLong(string field, string? value, int limit) =>
        value is null ? null : TooMany($"'{field}'", value.Length, limit, "characters");
}
