using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Import;

/// <summary>What an import did.</summary>
/// <param name="Inserted">Features written; 0 when the same file had been loaded before.</param>
/// <param name="AlreadyLoaded">True when a dataset with the same checksum was already in the collection.</param>
public sealed record ImportResult(string Collection, int Inserted, bool AlreadyLoaded)
{
    /// <summary>The import recorded (the dataset version); 0 when nothing was loaded.</summary>
    public int DatasetId { get; init; }
    /// <summary>Its version number in its collection and district.</summary>
    public int Version { get; init; }
    /// <summary>The version whose features it replaced (the same collection and district); null when none.</summary>
    public int? Replaced { get; init; }

    /// <summary>
    /// Notes for the user about what was not loaded as given: features left out (streets.left_out), collections of
    /// which only the lines were kept, attributes no column takes and columns no attribute fills
    /// (see <see cref="CollectionImporter.AttributeNotes"/>).
    /// </summary>
    public IReadOnlyList<Note> Notes { get; init; } = [];
}

/// <summary>A column an import fills from attributes, and the attribute names read for it, first found wins.</summary>
/// <param name="Name">The column, as this service exports it (e.g. "districtUbigeo").</param>
/// <param name="Attributes">Attribute names read for it, matched without regard to case; the first is <paramref name="Name"/>.</param>
public sealed record ImportColumn(string Name, params string[] Attributes)
{
    /// <summary>"name (nombre)": the column and the other attribute names read for it, in no language.</summary>
    public override string ToString() => Attributes.Length == 1 ? Name : $"{Name} ({string.Join(", ", Attributes.Skip(1))})";
}

/// <summary>How an import treats input that is not quite what the collection holds.</summary>
/// <param name="NonLines">Street features that are not lines: left out with a note (default) or refused.</param>
public sealed record ImportOptions(NonLines NonLines = NonLines.Skip)
{
    /// <summary>
    /// The district (ubigeo) the file is an extract of. Streets and stations of a district are one dataset: a newer
    /// extract is a new version that replaces the current version's features (kept, so a delete puts them back).
    /// Null: the file adds to the collection, as a version of its own with no district.
    /// </summary>
    public string? District { get; init; }

    /// <summary>Who loads the file, kept with the import.</summary>
    public string? User { get; init; }

    /// <summary>Told each phase of the import as it ends (its name and how long it took): where the time goes, for
    /// <c>barrio bench import</c>. Null: not timed.</summary>
    public Action<string, TimeSpan>? Phases { get; init; }
}

/// <summary>
/// Loads lon/lat features into a collection, all or nothing: every geometry is checked first, and the rows and the
/// dataset record are written in one transaction. Attribute names of the common sources (OSM extracts, INEI files,
/// this service's own exports) are recognised.
/// </summary>
public sealed class CollectionImporter(BarrioDbContext db)
{
    public static readonly IReadOnlyList<string> ImportableCollections = ["districts", "neighborhoods", "stations", "streets", "incidents", "provinces", "departments", "buildings"];

    /// <summary>The collections kept as dataset versions: their rows name their import, a newer one replaces them.</summary>
    public static readonly IReadOnlySet<string> VersionedCollections = new HashSet<string>(["streets", "stations", "buildings"], StringComparer.Ordinal);

    /// <summary>
    /// The columns of each collection that come from attributes: those of the common sources (OSM extracts, INEI files)
    /// and this service's own exports. Any other attribute is not imported, and the import says so.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<ImportColumn>> Columns = new Dictionary<string, IReadOnlyList<ImportColumn>>
    {
        ["districts"] =
        [
            new("ubigeo", "ubigeo", "IDDIST"), new("name", "name", "nombre_distrito", "NOMBDIST", "nombre"),
            new("province", "province", "nombre_provincia", "NOMBPROV"), new("department", "department", "nombre_departamento", "NOMBDEP"),
            new("source", "source", "fuente"),
        ],
        ["provinces"] =
        [
            new("code", "code", "IDPROV", "FIRST_IDPR", "ubigeo"), new("name", "name", "NOMBPROV", "nombre_provincia", "nombre"),
            new("department", "department", "FIRST_NOMB", "NOMBDEP", "nombre_departamento"), new("source", "source", "fuente"),
        ],
        ["departments"] =
        [
            new("code", "code", "IDDPTO", "FIRST_IDDP", "ubigeo"), new("name", "name", "NOMBDEP", "nombre_departamento", "nombre"),
            new("source", "source", "fuente"),
        ],
        ["neighborhoods"] =
        [
            new("name", "name", "nombre"), new("districtUbigeo", "districtUbigeo", "ubigeo"), new("status", "status"),
            new("isIllustrative", "isIllustrative", "illustrative"), new("description", "description", "descripcion"),
        ],
        ["stations"] = [new("osmId", "osmId", "osm_id"), new("name", "name", "nombre"), new("operator", "operator")],
        ["streets"] =
        [
            new("osmId", "osmId", "osm_way_id", "osm_id"), new("name", "name", "nombre"), new("class", "class", "highway"),
            new("oneway", "oneway"), new("layer", "layer", "bridge", "tunnel"), new("maxSpeedKmh", "maxSpeedKmh", "maxspeed"),
        ],
        ["buildings"] = [new("osmId", "osmId", "osm_id", "osm_way_id"), new("kind", "kind", "building"), new("name", "name", "nombre")],
        ["incidents"] =
        [
            new("occurredAt", "occurredAt", "occurred_at", "date", "fecha"), new("category", "category", "categoria", "tipo"),
            new("isSynthetic", "isSynthetic", "synthetic"),
        ],
    };

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Crs.Wgs84);

    /// <summary>Imports <paramref name="features"/> (EPSG:4326) into <paramref name="collection"/>.</summary>
    /// <param name="datasetName">A name for the load, usually the file name.</param>
    /// <param name="sha256">Checksum of the source file; a second load of the same checksum is skipped.</param>
    /// <exception cref="ImportException">A feature is unfit: nothing was written.</exception>
    public Task<ImportResult> ImportAsync(
        string collection, IReadOnlyList<IFeature> features, string datasetName, string sha256, CancellationToken ct = default) =>
        ImportAsync(collection, features, datasetName, sha256, new ImportOptions(), ct);

    /// <summary>
    /// Imports <paramref name="features"/> (EPSG:4326) into <paramref name="collection"/>. Street features that are
    /// not lines (what clipping leaves where a street touches the boundary) are left out and named in
    /// <see cref="ImportResult.Notes"/>, or refuse the file with <see cref="NonLines.Refuse"/>; a GeometryCollection
    /// keeps its lines. Feature numbers in notes count from 1 in file order.
    /// </summary>
    /// <exception cref="ImportException">A feature is unfit: nothing was written.</exception>
    public async Task<ImportResult> ImportAsync(
        string collection, IReadOnlyList<IFeature> features, string datasetName, string sha256, ImportOptions options,
        CancellationToken ct = default)
    {
        if (!ImportableCollections.Contains(collection))
            throw new ImportException(Note.Of("import.unknown_collection", ("collection", collection), ("known", ImportableCollections.ToArray())), []);
        if (features.Count == 0)
            throw new ImportException(Note.Of("import.no_features", ("dataset", datasetName)), []);
        if (AdminLimitsImporter.Collections.Contains(collection))
        {
            // INEI limits load in bulk, and a unit already loaded is kept (see AdminLimitsImporter).
            var loaded = await new AdminLimitsImporter(db).ImportAsync(collection, features, datasetName, sha256, ct);
            return loaded.AlreadyLoaded ? loaded : loaded with { Notes = [.. loaded.Notes, .. AttributeNotes(collection, features)] };
        }
        if (await db.Datasets.AnyAsync(d => d.Collection == collection && d.Sha256 == sha256, ct))
            return new ImportResult(collection, 0, true);
        if (options.District is { } district && !await db.Districts.AnyAsync(d => d.Ubigeo == district, ct))
            throw new ImportException(Note.Of("import.unknown_district", ("dataset", datasetName), ("ubigeo", district)), []);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var problems = new List<FeatureProblem>();
        var entities = new List<object>();
        var featureOf = new List<int>(); // entity -> index of its feature
        var leftOut = new List<NonLineFeature>();
        var partly = new List<int>();
        for (var i = 0; i < features.Count; i++)
        {
            var f = features[i];
            if (f.Geometry is null)
            {
                problems.Add(new FeatureProblem(i, new GeometryProblem("no-geometry", "The feature has no geometry.")));
                continue;
            }
            if (collection == "streets")
            {
                var lines = StreetGeometry.LinesOf(f.Geometry);
                if (lines is null || (options.NonLines == NonLines.Refuse && StreetGeometry.IsMixedCollection(f.Geometry)))
                {
                    leftOut.Add(new NonLineFeature(i + 1, f.Geometry.GeometryType));
                    continue;
                }
                if (!ReferenceEquals(lines, f.Geometry))
                {
                    partly.Add(i + 1);
                    f = new Feature(lines, f.Attributes);
                }
            }
            if (Flat2D.HasZOrM(f.Geometry)) f = new Feature(Flat2D.Of(f.Geometry), f.Attributes); // columns are 2D
            foreach (var p in InputGeometryCheck.Check(f.Geometry)) problems.Add(new FeatureProblem(i, p));
            try
            {
                entities.Add(ToEntity(collection, f));
                featureOf.Add(i);
            }
            catch (FormatException ex)
            {
                problems.Add(new FeatureProblem(i, new GeometryProblem("attribute", ex.Message)));
            }
        }
        if (options.NonLines == NonLines.Refuse && leftOut.Count > 0)
            throw new ImportException(Note.Of("import.non_line", ("dataset", datasetName), ("feature", leftOut[0].Number),
                    ("type", leftOut[0].GeometryType), ("count", leftOut.Count)),
                leftOut.Select(n => new FeatureProblem(n.Number - 1, new GeometryProblem("not-a-line",
                    $"The feature is a {n.GeometryType}, not a line."))).ToList());
        if (entities.Count == 0 && leftOut.Count > 0)
            throw new ImportException(Note.Of("import.no_street", ("dataset", datasetName), ("count", leftOut.Count)), []);
        var notes = new[] { StreetGeometry.LeftOut(leftOut), StreetGeometry.PartlyKept(partly) }.OfType<Note>().ToList();
        notes.AddRange(AttributeNotes(collection, features));

        // A neighbourhood names its district by ubigeo: one the database does not hold would fail on the foreign key.
        var ubigeos = entities.OfType<Neighborhood>().Select(n => n.DistrictUbigeo).OfType<string>().Distinct().ToList();
        var knownUbigeos = await db.Districts.Where(d => ubigeos.Contains(d.Ubigeo)).Select(d => d.Ubigeo).ToListAsync(ct);
        for (var e = 0; e < entities.Count; e++)
            if (entities[e] is Neighborhood { DistrictUbigeo: { } ubigeo } && !knownUbigeos.Contains(ubigeo))
                problems.Add(new FeatureProblem(featureOf[e], new GeometryProblem("unknown-district",
                    $"District ubigeo '{ubigeo}' is not in the database: import the districts first.")));
        var names = entities.OfType<Neighborhood>().Select(n => n.Name).ToList();
        var taken = await db.Neighborhoods.Where(n => names.Contains(n.Name)).Select(n => n.Name).ToListAsync(ct);
        foreach (var name in taken.Concat(names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key)).Distinct())
            problems.Add(new FeatureProblem(featureOf[names.IndexOf(name)], new GeometryProblem("duplicate-name",
                $"A neighbourhood named '{name}' exists already; neighbourhood names are unique.")));
        if (problems.Count > 0)
        {
            var first = problems[0];
            throw new ImportException(Note.Of("import.problems", ("dataset", datasetName), ("count", problems.Count),
                ("feature", first.FeatureIndex), ("problem", first.Problem.Message)), problems);
        }

        options.Phases?.Invoke("check", clock.Elapsed);
        clock.Restart();
        ImportResult result;
        try
        {
            // Inside a caller's transaction (an OSM import writes several collections all or nothing) it commits none.
            await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            var (dataset, replaced) = await NewVersionAsync(collection, datasetName, sha256, entities.Count, options, ct);
            if (options.District is not null && VersionedCollections.Contains(collection))
            {
                // The same OSM ways loaded before with no district (the sample streets, a city file) give way to the
                // district's: two copies of a street would count its km twice. They come back if this import is deleted.
                var shadowed = await ShadowAsync(db, collection, OsmIdsOf(entities), ct);
                if (shadowed > 0) notes.Add(Note.Of("import.shadowed", ("count", shadowed), ("collection", collection)));
            }
            options.Phases?.Invoke("new version, old one archived, shadowing", clock.Elapsed);
            clock.Restart();
            if (BulkRows.Writes(collection))
                await BulkRows.WriteAsync(db, collection, entities, dataset.Id, ArchivedProperties, options.Phases, ct);
            else
            {
                db.AddRange(entities);
                await db.SaveChangesAsync(ct);
                // Imported neighbourhoods start their history at version 1, like drawn ones.
                foreach (var n in entities.OfType<Neighborhood>())
                {
                    db.NeighborhoodRevisions.Add(new NeighborhoodRevision
                    {
                        NeighborhoodId = n.Id, Version = n.Version, Boundary = n.Boundary, Author = $"import: {datasetName}",
                        CreatedAt = n.UpdatedAt, AddedSquareMeters = Math.Round(Measure.AreaSquareMeters(n.Boundary), 1),
                    });
                }
                await db.SaveChangesAsync(ct);
            }
            clock.Restart();
            if (tx is not null) await tx.CommitAsync(ct);
            options.Phases?.Invoke("commit", clock.Elapsed);
            result = new ImportResult(collection, entities.Count, false) { Notes = notes, DatasetId = dataset.Id, Version = dataset.Version, Replaced = replaced };
        }
        catch (DbUpdateException e) when (DatabaseConflict.IsUniqueViolation(e, DatabaseConflict.DatasetHash))
        {
            // The same file imported at the same moment by another caller: it is loaded once, by them.
            db.ChangeTracker.Clear();
            return new ImportResult(collection, 0, true);
        }
        catch (DbUpdateException e) when (DatabaseConflict.IsUniqueViolation(e, DatabaseConflict.NeighborhoodName))
        {
            db.ChangeTracker.Clear();
            throw new ImportException(Note.Of("import.name_race", ("dataset", datasetName)), []);
        }
        db.ChangeTracker.Clear();
        return result;
    }

    /// <summary>
    /// Records the import as the next version of its collection and district and, for a versioned collection with a
    /// district, removes the rows of the version it replaces (their features stay in <see cref="ImportFeature"/>).
    /// Runs inside the import's transaction; imports of one collection and district wait for each other.
    /// </summary>
    private async Task<(Dataset Dataset, int? Replaced)> NewVersionAsync(
        string collection, string datasetName, string sha256, int count, ImportOptions options, CancellationToken ct)
    {
        await LockLineageAsync(db, collection, options.District, ct);
        var lineage = db.Datasets.IgnoreQueryFilters().Where(d => d.Collection == collection && d.DistrictUbigeo == options.District);
        var last = await lineage.MaxAsync(d => (int?)d.Version, ct) ?? 0;
        int? replaced = null;
        if (options.District is not null && VersionedCollections.Contains(collection)
            && await CurrentAsync(db, collection, options.District, ct) is { } current)
        {
            replaced = current.Id;
            await DeleteRowsAsync(db, collection, current.Id, ct);
        }
        var dataset = new Dataset
        {
            Name = datasetName, Collection = collection, Sha256 = sha256, FeatureCount = count, LoadedAt = DateTimeOffset.UtcNow,
            DistrictUbigeo = options.District, Version = last + 1, ImportedBy = options.User, ReplacesId = replaced,
        };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(ct);
        return (dataset, replaced);
    }

    /// <summary>Serialises writers of one dataset (collection and district) until the transaction ends.</summary>
    internal static Task LockLineageAsync(BarrioDbContext db, string collection, string? district, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtext({"dataset:" + collection + ":" + (district ?? "")}))", ct);

    /// <summary>The newest import of a collection and district that is not deleted; null when none.</summary>
    public static Task<Dataset?> CurrentAsync(BarrioDbContext db, string collection, string? district, CancellationToken ct) =>
        db.Datasets.Where(d => d.Collection == collection && d.DistrictUbigeo == district).OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);

    /// <summary>Removes the rows of a versioned collection that an import loaded (its kept features stay).</summary>
    internal static Task<int> DeleteRowsAsync(BarrioDbContext db, string collection, int datasetId, CancellationToken ct) => collection switch
    {
        "streets" => db.Streets.Where(s => EF.Property<int?>(s, BarrioDbContext.DatasetColumn) == datasetId).ExecuteDeleteAsync(ct),
        "stations" => db.Stations.Where(s => EF.Property<int?>(s, BarrioDbContext.DatasetColumn) == datasetId).ExecuteDeleteAsync(ct),
        "buildings" => db.Buildings.Where(s => EF.Property<int?>(s, BarrioDbContext.DatasetColumn) == datasetId).ExecuteDeleteAsync(ct),
        _ => throw new InvalidOperationException($"{collection} is not kept in versions"),
    };

    private static List<long> OsmIdsOf(IEnumerable<object> entities) =>
        entities.Select(e => e switch { Street st => st.OsmId, Station sn => sn.OsmId, Building b => b.OsmId, _ => null }).OfType<long>().Distinct().ToList();

    /// <summary>Removes the rows of imports with no district that are the same OSM features (osm_id) as a district's.</summary>
    internal static Task<int> ShadowAsync(BarrioDbContext db, string collection, List<long> osmIds, CancellationToken ct)
    {
        var undistricted = db.Datasets.Where(d => d.DistrictUbigeo == null).Select(d => (int?)d.Id);
        return collection switch
        {
            "streets" => db.Streets.Where(s => s.OsmId != null && osmIds.Contains(s.OsmId.Value)
                && undistricted.Contains(EF.Property<int?>(s, BarrioDbContext.DatasetColumn))).ExecuteDeleteAsync(ct),
            "stations" => db.Stations.Where(s => s.OsmId != null && osmIds.Contains(s.OsmId.Value)
                && undistricted.Contains(EF.Property<int?>(s, BarrioDbContext.DatasetColumn))).ExecuteDeleteAsync(ct),
            "buildings" => db.Buildings.Where(s => s.OsmId != null && osmIds.Contains(s.OsmId.Value)
                && undistricted.Contains(EF.Property<int?>(s, BarrioDbContext.DatasetColumn))).ExecuteDeleteAsync(ct),
            _ => throw new InvalidOperationException($"{collection} is not kept in versions"),
        };
    }

    /// <summary>The OSM ids of the features kept with an import.</summary>
    internal static Task<List<long>> OsmIdsOfImportAsync(BarrioDbContext db, int datasetId, CancellationToken ct) =>
        db.ImportFeatures.Where(f => f.DatasetId == datasetId && f.OsmId != null).Select(f => f.OsmId!.Value).Distinct().ToListAsync(ct);

    /// <summary>
    /// Puts back the rows of imports with no district that a district's import had shadowed, for the OSM ids of that
    /// import no live row holds any more (after its rows were removed).
    /// </summary>
    internal static async Task<int> UnshadowAsync(BarrioDbContext db, string collection, int datasetId, CancellationToken ct)
    {
        var ids = await OsmIdsOfImportAsync(db, datasetId, ct);
        if (ids.Count == 0) return 0;
        var live = collection switch
        {
            "streets" => await db.Streets.Where(s => s.OsmId != null && ids.Contains(s.OsmId.Value)).Select(s => s.OsmId!.Value).ToListAsync(ct),
            "stations" => await db.Stations.Where(s => s.OsmId != null && ids.Contains(s.OsmId.Value)).Select(s => s.OsmId!.Value).ToListAsync(ct),
            _ => await db.Buildings.Where(s => s.OsmId != null && ids.Contains(s.OsmId.Value)).Select(s => s.OsmId!.Value).ToListAsync(ct),
        };
        var missing = ids.Except(live).ToList();
        var undistricted = db.Datasets.Where(d => d.DistrictUbigeo == null && d.Collection == collection).Select(d => d.Id);
        var kept = await db.ImportFeatures.AsNoTracking()
            .Where(f => f.OsmId != null && missing.Contains(f.OsmId.Value) && undistricted.Contains(f.DatasetId)).ToListAsync(ct);
        foreach (var f in kept)
        {
            var row = Restored(collection, f);
            db.Add(row);
            db.Entry(row).Property(BarrioDbContext.DatasetColumn).CurrentValue = f.DatasetId;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return kept.Count;
    }

    /// <summary>The columns of a row other than its OSM id, name and geometry, as attributes <see cref="ToEntity"/>
    /// reads back into the same row (import_features.properties_json).</summary>
    private static string ArchivedProperties(object entity) => entity switch
    {
        // oneway "yes" with the line as stored: an OSM "-1" was reversed already.
        Street s => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["class"] = s.Class, ["oneway"] = s.Oneway ? "yes" : "no", ["layer"] = s.Layer.ToString(CultureInfo.InvariantCulture),
            ["maxSpeedKmh"] = s.MaxSpeedKmh?.ToString(CultureInfo.InvariantCulture), ["bridge"] = s.Bridge ? "yes" : "no",
            ["tunnel"] = s.Tunnel ? "yes" : "no",
        }),
        Building b => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["kind"] = b.Kind }),
        Station s => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["operator"] = s.Operator }),
        _ => throw new InvalidOperationException(entity.GetType().Name),
    };

    /// <summary>The row a kept feature was loaded as (its columns as they were), for the version a delete puts back.</summary>
    internal static object Restored(string collection, ImportFeature f)
    {
        var attributes = new AttributesTable { { "osmId", f.OsmId?.ToString(CultureInfo.InvariantCulture) }, { "name", f.Name } };
        foreach (var (k, v) in System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string?>>(f.PropertiesJson) ?? [])
            attributes.Add(k, v);
        return ToEntity(collection, new Feature(f.Geometry, attributes));
    }

    /// <summary>
    /// What the attributes of the file do not give: attributes no column takes (named, never dropped silently), and
    /// columns no attribute fills (left empty in every row).
    /// </summary>
    public static IReadOnlyList<Note> AttributeNotes(string collection, IReadOnlyList<IFeature> features)
    {
        var columns = Columns[collection];
        var known = new HashSet<string>(columns.SelectMany(c => c.Attributes), StringComparer.OrdinalIgnoreCase);
        var present = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in features)
            foreach (var name in f.Attributes?.GetNames() ?? [])
                if (seen.Add(name)) present.Add(name);
        var notes = new List<Note>();
        var unmapped = present.Where(n => !known.Contains(n)).ToList();
        if (unmapped.Count > 0)
            notes.Add(Note.Of("import.attributes_unmapped", ("count", unmapped.Count), ("collection", collection),
                ("names", unmapped), ("columns", columns.Select(c => c.ToString()).ToList())));
        var empty = columns.Where(c => !c.Attributes.Any(seen.Contains)).Select(c => c.Name).ToList();
        if (empty.Count > 0 && present.Count > 0)
            notes.Add(Note.Of("import.columns_empty", ("columns", empty)));
        else if (present.Count == 0)
            notes.Add(Note.Of("import.no_attributes", ("columns", columns.Select(c => c.Name).ToList())));
        return notes;
    }

    private static string[] A(string collection, string column) => Columns[collection].First(c => c.Name == column).Attributes;

    private static object ToEntity(string collection, IFeature f) => collection switch
    {
        "districts" => new District
        {
            Ubigeo = Text(f, A("districts", "ubigeo")) ?? throw new FormatException("A district needs a 'ubigeo' attribute."),
            Name = Title(Text(f, A("districts", "name"))) ?? throw new FormatException("A district needs a 'name'."),
            Province = Title(Text(f, A("districts", "province"))),
            Department = Title(Text(f, A("districts", "department"))),
            Boundary = Polygons(f.Geometry),
            Source = Text(f, A("districts", "source")),
        },
        "neighborhoods" => new Neighborhood
        {
            Name = Text(f, A("neighborhoods", "name")) ?? throw new FormatException("A neighbourhood needs a 'name'."),
            DistrictUbigeo = Text(f, A("neighborhoods", "districtUbigeo")),
            Boundary = Polygons(f.Geometry),
            Status = Enum.TryParse<NeighborhoodStatus>(Text(f, A("neighborhoods", "status")), true, out var s) ? s : NeighborhoodStatus.Draft,
            IsIllustrative = Bool(f, A("neighborhoods", "isIllustrative")) ?? false,
            Description = Text(f, A("neighborhoods", "description")),
            UpdatedAt = DateTimeOffset.UtcNow,
        },
        "stations" => new Station
        {
            OsmId = Long(f, A("stations", "osmId")),
            Name = Text(f, A("stations", "name")),
            Operator = Text(f, A("stations", "operator")),
            Location = f.Geometry as Point ?? Factory.CreatePoint(f.Geometry.InteriorPoint.Coordinate),
        },
        "streets" => Street(f),
        "buildings" => new Building
        {
            OsmId = Long(f, A("buildings", "osmId")),
            Kind = Text(f, A("buildings", "kind")) ?? "yes",
            Name = Text(f, A("buildings", "name")),
            Geometry = Polygons(f.Geometry),
        },
        "incidents" => new Incident
        {
            OccurredAt = DateTimeOffset.TryParse(Text(f, A("incidents", "occurredAt")), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : throw new FormatException("An incident needs an 'occurredAt' date."),
            Category = Text(f, A("incidents", "category")) ?? "sin categoría",
            Location = f.Geometry as Point ?? throw new FormatException("An incident must be a point."),
            IsSynthetic = Bool(f, A("incidents", "isSynthetic")) ?? false,
        },
        _ => throw new InvalidOperationException(collection),
    };

    private static Street Street(IFeature f)
    {
        var lines = f.Geometry switch
        {
            MultiLineString m => m,
            LineString l => Factory.CreateMultiLineString([l]),
            _ => throw new FormatException($"A street must be a line, not a {f.Geometry.GeometryType}."),
        };
        var oneway = Text(f, A("streets", "oneway"))?.ToLowerInvariant();
        if (oneway == "-1") // OSM: one-way against the drawing direction
            lines = (MultiLineString)lines.Reverse();
        return new Street
        {
            OsmId = Long(f, A("streets", "osmId")),
            Name = Text(f, A("streets", "name")),
            Class = Text(f, A("streets", "class")) ?? "unclassified",
            Oneway = oneway is "yes" or "true" or "1" or "-1",
            Layer = LayerOf(f),
            MaxSpeedKmh = MaxSpeedOf(Text(f, A("streets", "maxSpeedKmh"))),
            Bridge = Text(f, "bridge") is { } b && b != "no",
            Tunnel = Text(f, "tunnel") is { } t && t != "no",
            Geometry = (MultiLineString)Factory.CreateGeometry(lines),
        };
    }

    /// <summary>OSM maxspeed: "40", "40 km/h", "30 mph" (converted); none for "signals", "none", "PE:urban" and the like.</summary>
    private static int? MaxSpeedOf(string? text)
    {
        if (text is null) return null;
        var t = text.Trim().ToLowerInvariant();
        var mph = t.EndsWith("mph", StringComparison.Ordinal);
        t = t.Replace("km/h", "").Replace("kmh", "").Replace("mph", "").Trim();
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v <= 0 || v > 300) return null;
        return (int)Math.Round(mph ? v * 1.609344 : v);
    }

    /// <summary>OSM's layer tag, else +1 for a bridge and -1 for a tunnel (their implied layers), else 0.</summary>
    private static int LayerOf(IFeature f)
    {
        if (int.TryParse(Text(f, "layer"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var layer)) return layer;
        if (Text(f, "bridge") is { } b && b != "no") return 1;
        if (Text(f, "tunnel") is { } t && t != "no") return -1;
        return 0;
    }

    private static MultiPolygon Polygons(Geometry g) => g switch
    {
        MultiPolygon m => (MultiPolygon)Factory.CreateGeometry(m),
        Polygon p => Factory.CreateMultiPolygon([(Polygon)Factory.CreateGeometry(p)]),
        _ => throw new FormatException($"A boundary must be a polygon, not a {g.GeometryType}."),
    };

    private static object? Value(IFeature f, string[] names)
    {
        foreach (var n in names)
        {
            var key = f.Attributes?.GetNames().FirstOrDefault(a => string.Equals(a, n, StringComparison.OrdinalIgnoreCase));
            if (key is not null && f.Attributes![key] is { } v) return v;
        }
        return null;
    }

    private static string? Text(IFeature f, params string[] names) =>
        Value(f, names) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) is { Length: > 0 } s ? s : null : null;

    private static long? Long(IFeature f, params string[] names) =>
        long.TryParse(Text(f, names), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static bool? Bool(IFeature f, params string[] names) => Value(f, names) switch
    {
        bool b => b,
        string s => s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1" || s.Equals("yes", StringComparison.OrdinalIgnoreCase),
        null => null,
        var o => Convert.ToDouble(o, CultureInfo.InvariantCulture) != 0,
    };

    // INEI files write names in lower or upper case; show them as Spanish titles ("florencia de mora" -> "Florencia de Mora").
    private static string? Title(string? s) => PlaceNames.Display(s);
}
