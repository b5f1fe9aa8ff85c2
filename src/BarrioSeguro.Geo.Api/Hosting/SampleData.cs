using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Core.Incidents;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Import;
using BarrioSeguro.Geo.IO;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using Npgsql;

namespace BarrioSeguro.Geo.Api.Hosting;

/// <summary>
/// Loads the sample data of geodata/ (see geodata/SOURCES.md): real districts (all of Peru), provinces, departments,
/// streets and stations, the illustrative
/// El Milagro boundary, its contingent, and seeded synthetic incidents. Running it again adds nothing.
/// </summary>
public sealed class SampleData(BarrioDbContext db, ILogger<SampleData> log)
{
    /// <summary>Seed of the synthetic incidents: El Milagro was the 105th Barrio Seguro.</summary>
    public const int IncidentSeed = 105;

    /// <summary>
    /// The files loaded into collections, in load order. The INEI 2023 limits of Huanchaco and its neighbours first: a
    /// district already loaded keeps its boundary, so they win over the simplified 2007 limits of all of Peru loaded next
    /// (AdminLimitsImporter). The streets come last: the synthetic incidents are generated on them.
    /// </summary>
    private static readonly (string Collection, string File)[] Files =
    [
        ("districts", Path.Combine("admin", "huanchaco_y_vecinos_inei2023.geojson")),
        ("districts", Path.Combine("admin", "peru_distrital_simple.geojson")),
        ("provinces", Path.Combine("admin", "peru_provincial_simple.geojson")),
        ("departments", Path.Combine("admin", "peru_departamental_simple.geojson")),
        ("stations", Path.Combine("police", "comisarias_trujillo_osm.geojson")),
        ("streets", Path.Combine("osm", "el_milagro_streets_wgs84.geojson")),
    ];

    private const string SampleNeighborhood = "El Milagro";
    private static readonly string BoundaryFile = Path.Combine("sample", "el_milagro_barrio_seguro_illustrative.geojson");

    /// <summary>
    /// Whether <see cref="LoadAsync"/> would find everything loaded and do nothing: every file's checksum among the
    /// datasets, El Milagro with its contingent and its one load of synthetic incidents (or El Milagro renamed, and its
    /// boundary file loaded once). One SELECT over Npgsql, no EF Core: a warm start of the service builds no EF model
    /// for it. False whenever in doubt (two El Milagro, a repeated incidents load): then <see cref="LoadAsync"/> decides.
    /// </summary>
    /// <remarks>
    /// Two definitions of "the sample is loaded" that must agree: this one, which a start asks first, and the steps of
    /// <see cref="LoadAsync"/> (EF Core, each asking its own question before it writes). One cannot be made of the
    /// other: the load needs EF Core to write, and the check must not build its model. Said true where a load would
    /// add something, the start would skip it; said false where it would add nothing, every start pays for EF Core.
    /// Any change to one is a change to the other: SampleDataTests puts both through every state a database can be
    /// left in (fresh, loaded, each piece missing or deleted, renamed, loaded twice) and checks they agree.
    /// </remarks>
    public static async Task<bool> IsLoadedAsync(NpgsqlConnection connection, string geodata, CancellationToken ct)
    {
        if (!Directory.Exists(geodata))
            throw new DirectoryNotFoundException($"Sample data folder '{geodata}' does not exist.");
        var files = Files.Append((Collection: "neighborhoods", File: BoundaryFile)).ToList();
        var shas = new string[files.Count];
        for (var i = 0; i < files.Count; i++) shas[i] = Sha256(await File.ReadAllBytesAsync(Path.Combine(geodata, files[i].File), ct));
        // The same filters as the EF Core model: deleted datasets and neighbourhoods do not count (HasQueryFilter).
        await using var command = new NpgsqlCommand("""
            WITH file AS (SELECT * FROM unnest(@collections, @shas) WITH ORDINALITY AS f(collection, sha256, n)),
                 milagro AS (SELECT id FROM neighborhoods WHERE name = @name AND deleted_at IS NULL)
            SELECT (SELECT array_agg(EXISTS (SELECT 1 FROM datasets d
                                              WHERE d.collection = f.collection AND d.sha256 = f.sha256 AND d.deleted_at IS NULL)
                                     ORDER BY f.n) FROM file f),
                   (SELECT count(*) FROM milagro),
                   (SELECT count(*) FROM contingents c JOIN milagro m ON m.id = c.neighborhood_id),
                   (SELECT count(*) FROM datasets WHERE collection = 'incidents' AND name = @incidents AND deleted_at IS NULL)
            """, connection);
        command.Parameters.AddWithValue("collections", files.Select(f => f.Collection).ToArray());
        command.Parameters.AddWithValue("shas", shas);
        command.Parameters.AddWithValue("name", SampleNeighborhood);
        command.Parameters.AddWithValue("incidents", SyntheticIncidentsDataset);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var loaded = reader.GetFieldValue<bool[]>(0);
        var collectionsLoaded = loaded.Take(Files.Length).All(b => b);
        var (milagros, contingents, incidentLoads) = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        return milagros switch
        {
            0 => collectionsLoaded && loaded[^1], // renamed by a planner: LoadAsync loads the boundary file if new, then stops
            1 => collectionsLoaded && contingents > 0 && incidentLoads == 1,
            _ => false,
        };
    }

    /// <summary>
    /// Loads whatever of the sample is missing, each step asking first whether its part is there (so a second start
    /// adds nothing); <see cref="IsLoadedAsync"/> must say "loaded" exactly when no step here would write.
    /// </summary>
    public async Task LoadAsync(string geodata, CancellationToken ct)
    {
        if (!Directory.Exists(geodata))
            throw new DirectoryNotFoundException($"Sample data folder '{geodata}' does not exist.");
        var importer = new CollectionImporter(db);
        FeatureSet? streets = null;
        foreach (var (collection, file) in Files)
            streets = await Load(importer, collection, Path.Combine(geodata, file), ct);
        var streetsFile = Path.Combine(geodata, Files[^1].File);
        var boundaryFile = Path.Combine(geodata, BoundaryFile);
        // A planner may have edited the sample neighbourhood since: never load a second one over it.
        if (!await db.Neighborhoods.AnyAsync(n => n.Name == SampleNeighborhood, ct))
            await Load(importer, "neighborhoods", boundaryFile, ct);

        var milagro = await db.Neighborhoods.AsNoTracking().FirstOrDefaultAsync(n => n.Name == SampleNeighborhood, ct);
        if (milagro is null) return; // renamed by a planner: nothing more to attach
        await LoadContingent(milagro, Path.Combine(geodata, "sample", "el_milagro_contingent.json"), ct);
        await LoadSyntheticIncidents(importer, milagro, () => streets ?? VectorFile.Read(streetsFile),
            Path.Combine(geodata, "police", "inei_denuncias_faltas_2017_comisarias_trujillo_utf8.csv"), ct);
    }

    /// <summary>
    /// Loads one file into <paramref name="collection"/> unless a dataset of the same checksum is there already (the
    /// importers' own test, asked before the file is parsed: a warm start reads each file's bytes and parses none).
    /// </summary>
    /// <returns>The file's features when it was read, null when it was already loaded.</returns>
    private async Task<FeatureSet?> Load(CollectionImporter importer, string collection, string path, CancellationToken ct)
    {
        var sha256 = Sha256(await File.ReadAllBytesAsync(path, ct));
        if (await db.Datasets.AnyAsync(d => d.Collection == collection && d.Sha256 == sha256, ct))
        {
            log.LogInformation("{Collection}: {File} already loaded", collection, Path.GetFileName(path));
            return null;
        }
        var set = VectorFile.Read(path);
        var features = FeatureTransform.To(set.Features, set.Epsg, Crs.Wgs84);
        var result = await importer.ImportAsync(collection, features, Path.GetFileName(path), sha256, ct);
        log.LogInformation("{Collection}: {Outcome}", collection,
            result.AlreadyLoaded ? $"{Path.GetFileName(path)} already loaded" : $"{result.Inserted} features loaded from {Path.GetFileName(path)}");
        return set;
    }

    private async Task LoadContingent(Neighborhood milagro, string path, CancellationToken ct)
    {
        if (await db.Contingents.AnyAsync(c => c.NeighborhoodId == milagro.Id, ct)) return;
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(path, ct));
        var root = doc.RootElement;
        db.Contingents.Add(new Contingent
        {
            NeighborhoodId = milagro.Id,
            Name = root.GetProperty("name").GetString()!,
            Officers = root.GetProperty("officers").GetInt32(),
            Shifts = root.GetProperty("shifts").GetInt32(),
        });
        await db.SaveChangesAsync(ct);
        log.LogInformation("contingents: {Officers} officers for {Neighborhood}", root.GetProperty("officers").GetInt32(), milagro.Name);
    }

    /// <summary>The dataset record of the synthetic incidents: its name says "loaded", whatever their inputs were then.</summary>
    public const string SyntheticIncidentsDataset = "synthetic incidents (El Milagro, 2017 faltas, seed 105)";

    private async Task LoadSyntheticIncidents(
        CollectionImporter importer, Neighborhood milagro, Func<FeatureSet> readStreets, string faltasCsv, CancellationToken ct)
    {
        await RemoveRepeatedSyntheticIncidents(ct);
        // Loaded once, ever: the boundary they were generated in may have been edited since (a repair, a redraw), and
        // generating again in the new one would add a second set at nearly the same places.
        if (await db.Datasets.AnyAsync(d => d.Collection == "incidents" && d.Name == SyntheticIncidentsDataset, ct))
        {
            log.LogInformation("incidents: synthetic incidents already loaded");
            return;
        }
        var streets = readStreets();
        var counts = FaltasOfStation(faltasCsv, "0186");
        var incidents = SyntheticIncidents.Generate(streets.Features.Select(f => f.Geometry), milagro.Boundary, counts, 2017, IncidentSeed);
        var features = incidents.Select(i => (IFeature)new Feature(i.Location, new AttributesTable
        {
            { "occurredAt", i.OccurredAt.ToString("O", CultureInfo.InvariantCulture) }, { "category", i.Category }, { "isSynthetic", true },
        })).ToList();
        // The checksum names every input, so the plan fingerprints tell which incidents a plan was computed from.
        var key = Sha256(Encoding.UTF8.GetBytes(
            $"synthetic-incidents:v1:seed={IncidentSeed}:{Sha256(File.ReadAllBytes(faltasCsv))}:{milagro.Boundary.AsText()}:{streets.Features.Count}"));
        var result = await importer.ImportAsync("incidents", features, SyntheticIncidentsDataset, key, ct);
        log.LogInformation("incidents: {Outcome}", result.AlreadyLoaded ? "synthetic incidents already loaded" : $"{result.Inserted} synthetic incidents generated");
    }

    /// <summary>
    /// Earlier versions loaded the synthetic incidents again when the boundary had changed: such a database keeps the
    /// first load (its rows have the lowest ids, written in one transaction) and loses the later ones. Left alone when the
    /// synthetic rows are not exactly those loads (someone imported synthetic incidents of their own).
    /// </summary>
    private async Task RemoveRepeatedSyntheticIncidents(CancellationToken ct)
    {
        var loads = await db.Datasets.AsNoTracking()
            .Where(d => d.Collection == "incidents" && d.Name == SyntheticIncidentsDataset).OrderBy(d => d.Id).ToListAsync(ct);
        if (loads.Count < 2) return;
        var synthetic = await db.Incidents.Where(i => i.IsSynthetic).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(ct);
        if (synthetic.Count != loads.Sum(l => l.FeatureCount)) return;
        var extraRows = synthetic.Skip(loads[0].FeatureCount).ToList();
        var extraLoads = loads.Skip(1).Select(l => l.Id).ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Incidents.Where(i => extraRows.Contains(i.Id)).ExecuteDeleteAsync(ct);
        await db.Datasets.Where(d => extraLoads.Contains(d.Id)).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        log.LogWarning("incidents: removed {Rows} synthetic incidents an earlier version had loaded {Times} more time(s); kept the first load",
            extraRows.Count, extraLoads.Count);
    }

    /// <summary>The 2017 faltas of one comisaría by category; the part the source leaves uncategorised gets its own.</summary>
    private static List<(string, int)> FaltasOfStation(string csv, string stationCode)
    {
        var lines = File.ReadAllLines(csv, Encoding.UTF8);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var row = lines.Skip(1).Select(l => l.Split(',')).First(r => r[Col("id_n_comisaria")] == stationCode);
        int Num(string name) => int.TryParse(row[Col(name)], out var v) ? v : 0;
        var counts = new List<(string, int)>
        {
            ("Falta A", Num("faltas_a")), ("Falta B", Num("faltas_b")), ("Falta C", Num("faltas_c")), ("Falta D", Num("faltas_d")),
        };
        var rest = Num("faltas_total") - counts.Sum(c => c.Item2);
        if (rest > 0) counts.Add(("Falta sin categoría", rest));
        return counts;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
