using System.Globalization;

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

    /// <summary>"the boundary has 1,000,001 vertices; at most 50,000" (null when within the limit).</summary>
    public static string? TooMany(string what, long count, long limit, string unit) => count <= limit ? null
        : string.Create(CultureInfo.InvariantCulture, $"{what} has {count:N0} {unit}; at most {limit:N0} are allowed");

    /// <summary>"name has 5,242,880 characters; at most 200 are allowed" (null when within the limit or absent).</summary>
    public static string? TooLong(string field, string? value, int limit) =>
        value is null ? null : TooMany($"'{field}'", value.Length, limit, "characters");
}
