using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.IO;

/// <summary>
/// The line features of a street file, and what was left out on the way. Streets clipped to a district in a desktop GIS
/// or with PostGIS ST_Intersection carry Points, MultiPoints and GeometryCollections where a street touches the
/// boundary; they hold no street, so they are left out with a note (or refused, see <see cref="NonLines"/>).
/// </summary>
/// <param name="Lines">The features kept, each a LineString or MultiLineString, attributes untouched, file order.</param>
/// <param name="Notes">Notes for the user: features left out, collections of which only lines were kept,
/// and the notes of the read (see <see cref="FeatureSet.Warnings"/>).</param>
public sealed record StreetFile(FeatureSet Lines, IReadOnlyList<Note> Notes)
{
    /// <summary>Reads a street file and keeps its lines. See <see cref="Select"/>.</summary>
    /// <exception cref="InvalidVectorFileException">The file cannot be read; or, with <see cref="NonLines.Refuse"/>,
    /// a feature is not a line (the message names the first one).</exception>
    public static StreetFile Read(string path, NonLines nonLines, ReadOptions? options = null) =>
        Select(VectorFile.Read(path, options), nonLines, path);

    /// <summary>
    /// The line features of <paramref name="set"/>: lines as they are, the lines of a GeometryCollection (its points
    /// dropped), nothing of a Point, MultiPoint, polygon or empty geometry. Features without a geometry are left as
    /// they are (the readers after this skip them already). Feature numbers in notes count from 1 in file order.
    /// </summary>
    /// <exception cref="InvalidVectorFileException">With <see cref="NonLines.Refuse"/>, a feature is not a line; or no
    /// feature is a line.</exception>
    public static StreetFile Select(FeatureSet set, NonLines nonLines, string path)
    {
        var kept = new List<IFeature>(set.Count);
        var leftOut = new List<NonLineFeature>();
        var partly = new List<int>();
        for (var i = 0; i < set.Count; i++)
        {
            var f = set.Features[i];
            if (f.Geometry is null)
            {
                kept.Add(f);
                continue;
            }
            var lines = StreetGeometry.LinesOf(f.Geometry);
            if (lines is null)
            {
                leftOut.Add(new NonLineFeature(i + 1, f.Geometry.GeometryType));
                continue;
            }
            if (StreetGeometry.IsMixedCollection(f.Geometry)) partly.Add(i + 1);
            kept.Add(ReferenceEquals(lines, f.Geometry) ? f : new Feature(lines, f.Attributes ?? new AttributesTable()));
        }
        if (nonLines == NonLines.Refuse && leftOut.Count + partly.Count > 0)
        {
            // A collection of lines and points is not a line either: refuse names whichever comes first.
            var first = leftOut.Concat(partly.Select(n => new NonLineFeature(n, set.Features[n - 1].Geometry!.GeometryType)))
                .MinBy(f => f.Number)!;
            throw new InvalidVectorFileException(path, StreetGeometry.Refusal(first, leftOut.Count + partly.Count));
        }

        if (leftOut.Count > 0 && !kept.Any(f => f.Geometry is not null))
            throw new InvalidVectorFileException(path, StreetGeometry.NoStreet(leftOut));

        var notes = new List<Note>(set.Notes);
        if (StreetGeometry.LeftOut(leftOut) is { } note) notes.Add(note);
        if (StreetGeometry.PartlyKept(partly) is { } partNote) notes.Add(partNote);
        return new StreetFile(set with { Features = kept }, notes);
    }
}
