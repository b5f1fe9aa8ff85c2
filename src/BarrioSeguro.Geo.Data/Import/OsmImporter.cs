using System.Security.Cryptography;
using System.Text;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Import;

/// <summary>The area an OSM extract is clipped to: a district of the database, a boundary file or a box.</summary>
/// <param name="Label">How the import names it: the ubigeo, the file name or the box.</param>
/// <param name="Ubigeo">The district, when the area is one.</param>
public sealed record OsmArea(string Label, Geometry Boundary, string? Ubigeo = null)
{
    /// <summary>"minlon,minlat,maxlon,maxlat" in degrees as an area.</summary>
    /// <exception cref="RefusalException">Not four numbers, or min not below max, or not degrees.</exception>
    public static OsmArea ParseBox(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var numbers = parts.Select(p => double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
        if (numbers.Length != 4 || numbers.Any(v => !double.IsFinite(v)) || numbers[0] >= numbers[2] || numbers[1] >= numbers[3]
            || numbers[0] < -180 || numbers[2] > 180 || numbers[1] < -90 || numbers[3] > 90)
            throw new RefusalException(Note.Of("osm.bad_bbox", ("bbox", text)), "bbox");
        return Box(new Envelope(numbers[0], numbers[2], numbers[1], numbers[3]));
    }

    /// <summary>A lon/lat box as an area.</summary>
    public static OsmArea Box(Envelope box) =>
        new(FormattableString.Invariant($"bbox {box.MinX},{box.MinY},{box.MaxX},{box.MaxY}"),
            new GeometryFactory(new PrecisionModel(), Crs.Wgs84).ToGeometry(box));
}

/// <summary>The features of an extract that go into the database, already read (IO's OsmPbf) but not yet clipped.</summary>
/// <param name="DataBounds">The box of the data read: how much of the area it covers decides whether the import goes on.</param>
/// <param name="Buildings">Building footprints, when the user asked for them (null: not read).</param>
public sealed record OsmFeatures(IReadOnlyList<IFeature> Streets, IReadOnlyList<IFeature> Stations, Envelope DataBounds,
    IReadOnlyList<IFeature>? Buildings = null);

/// <summary>What an OSM import wrote.</summary>
/// <param name="CoveredPct">Percent of the area's surface inside the extract's data box.</param>
/// <param name="StreetKm">Length of the streets written (geodesic, km).</param>
/// <param name="Warnings">What the user must know: a partly covered area, attributes not kept.</param>
public sealed record OsmImportResult(
    string Area, double CoveredPct, int Streets, double StreetKm, int Stations, bool AlreadyLoaded, IReadOnlyList<Note> Warnings)
{
    /// <summary>Buildings written (clipped to the area); null when they were not asked for.</summary>
    public int? Buildings { get; init; }

    /// <summary>The notes of the collection imports (attributes no column takes, features left out).</summary>
    public IReadOnlyList<Note> ImportNotes { get; init; } = [];
}

/// <summary>
/// Loads an OSM extract clipped to an area into the streets and stations collections, all or nothing: one transaction
/// for both, written through <see cref="CollectionImporter.ImportAsync(string, IReadOnlyList{IFeature}, string, string, ImportOptions, CancellationToken)"/>
/// (the one seam every import goes through). Refused when the extract covers too little of the area.
/// </summary>
public sealed class OsmImporter(BarrioDbContext db)
{
    /// <summary>The district of the database as the area.</summary>
    /// <exception cref="RefusalException">No district has that ubigeo.</exception>
    public async Task<OsmArea> DistrictAsync(string ubigeo, CancellationToken ct = default)
    {
        var district = await db.Districts.AsNoTracking().FirstOrDefaultAsync(d => d.Ubigeo == ubigeo, ct)
            ?? throw new RefusalException(Note.Of("osm.unknown_district", ("ubigeo", ubigeo)), "district");
        return new OsmArea(ubigeo, district.Boundary, ubigeo);
    }

    /// <summary>Clips the features to the area and writes them; a second import of the same file and area adds nothing.</summary>
    /// <param name="sha256">Checksum of the PBF file.</param>
    /// <param name="progress">0..1 as clipping and writing go on.</param>
    /// <exception cref="RefusalException">The extract covers too little of the area, or no street lies in it: nothing was written.</exception>
    /// <exception cref="ImportException">A feature is unfit: nothing was written.</exception>
    public async Task<OsmImportResult> ImportAsync(
        OsmFeatures features, OsmArea area, string datasetName, string sha256, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var clip = new AreaClip(area.Boundary);
        var (covered, partly) = clip.CheckCovered(features.DataBounds, area.Label);
        var warnings = partly is null ? new List<Note>() : [partly];

        var streets = new List<IFeature>();
        for (var i = 0; i < features.Streets.Count; i++)
        {
            if (clip.Lines(features.Streets[i].Geometry) is { } inside) streets.Add(new Feature(inside, features.Streets[i].Attributes));
            if (i % 500 == 0) progress?.Report(0.3 * i / features.Streets.Count);
        }
        if (streets.Count == 0)
            throw new RefusalException(Note.Of("osm.no_streets", ("area", area.Label)), "district");
        var stations = features.Stations.Where(s => s.Geometry is Point p && clip.Holds(p))
            .Select(s => (IFeature)new Feature(s.Geometry, Without(s.Attributes, "osm_type"))).ToList();
        // A building is kept whole when it overlaps the area (a block counts it by its interior point).
        var buildings = features.Buildings?.Where(b => b.Geometry is not null && clip.Polygons(b.Geometry) is not null)
            .Select(b => (IFeature)new Feature(b.Geometry, Without(b.Attributes, "osm_type"))).ToList();
        progress?.Report(0.35);

        // One checksum per file and area: the same extract clipped to another district is another dataset.
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"osm:v1:{sha256}:{area.Label}:{area.Boundary.AsText()}")));
        var name = $"{datasetName} ({area.Label})";
        var importer = new CollectionImporter(db);
        var notes = new List<Note>();
        // A district's extract is a version of that district's dataset: a newer one replaces it (kept, so a delete puts it back).
        var versioned = new ImportOptions { District = area.Ubigeo };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var street = await importer.ImportAsync("streets", streets, name, key, versioned, ct);
            notes.AddRange(street.Notes);
            progress?.Report(0.85);
            var stationCount = 0;
            if (stations.Count > 0)
            {
                var station = await importer.ImportAsync("stations", stations, name, key, versioned, ct);
                notes.AddRange(station.Notes);
                stationCount = station.Inserted;
            }
            int? buildingCount = null;
            if (buildings is not null)
            {
                buildingCount = 0;
                if (buildings.Count > 0)
                {
                    var building = await importer.ImportAsync("buildings", buildings, name, key, versioned, ct);
                    notes.AddRange(building.Notes);
                    buildingCount = building.Inserted;
                }
            }
            await tx.CommitAsync(ct);
            progress?.Report(1);
            var km = street.AlreadyLoaded ? 0 : Math.Round(streets.Sum(s => Measure.LengthMeters(s.Geometry)) / 1000, 2);
            return new OsmImportResult(area.Label, covered, street.Inserted, km, stationCount, street.AlreadyLoaded, warnings)
            {
                ImportNotes = notes, Buildings = buildingCount,
            };
        }
    }

    private static AttributesTable Without(IAttributesTable attributes, string name)
    {
        var copy = new AttributesTable();
        foreach (var n in attributes.GetNames()) if (n != name) copy.Add(n, attributes[n]);
        return copy;
    }
}
