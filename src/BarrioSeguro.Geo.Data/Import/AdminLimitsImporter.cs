using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace BarrioSeguro.Geo.Data.Import;

/// <summary>
/// Loads INEI limits (districts, provinces, departments) in bulk: one binary COPY into a temporary table and one
/// INSERT, in one transaction with the dataset record, so the 1,834 districts of Peru load in well under a second.
/// A unit already in the database is kept as it is: the first boundary loaded wins (the sample data loads the INEI 2023
/// limits of Huanchaco and its neighbours before the simplified 2007 limits of all of Peru). A district the file has
/// no boundary for is kept, searchable, with an empty boundary, and the import says which.
/// </summary>
public sealed class AdminLimitsImporter(BarrioDbContext db)
{
    public static readonly IReadOnlyList<string> Collections = ["districts", "provinces", "departments"];

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Crs.Wgs84);

    /// <summary>The table, key column and code length of each collection.</summary>
    private static (string Table, string Key, int Digits, string Unit) Shape(string collection) => collection switch
    {
        "districts" => ("districts", "ubigeo", 6, "district"),
        "provinces" => ("provinces", "code", 4, "province"),
        "departments" => ("departments", "code", 2, "department"),
        _ => throw new InvalidOperationException(collection),
    };

    private sealed record Row(int Index, string Code, string Name, string? Province, string? Department, MultiPolygon Boundary, string? Source, double Weight);

    /// <summary>Loads <paramref name="features"/> (EPSG:4326) into districts, provinces or departments.</summary>
    /// <exception cref="ImportException">A feature is unfit (no code, a code of the wrong form, twice the same district, a bad polygon): nothing was written.</exception>
    public async Task<ImportResult> ImportAsync(
        string collection, IReadOnlyList<IFeature> features, string datasetName, string sha256, CancellationToken ct = default)
    {
        var (table, key, digits, unit) = Shape(collection);
        if (features.Count == 0)
            throw new ImportException(Note.Of("import.no_features", ("dataset", datasetName)), []);
        if (await db.Datasets.AnyAsync(d => d.Collection == collection && d.Sha256 == sha256, ct))
            return new ImportResult(collection, 0, true);

        var problems = new List<FeatureProblem>();
        var rows = new List<Row>();
        var withoutBoundary = new List<Row>();
        for (var i = 0; i < features.Count; i++)
        {
            var f = features[i];
            var code = CodeOf(collection, f);
            if (code is null || code.Length != digits || !code.All(char.IsAsciiDigit))
            {
                problems.Add(new FeatureProblem(i, new GeometryProblem("attribute",
                    $"A {unit} needs a code of {digits} digits ({string.Join(" or ", Attributes[collection].Code)}), not '{code}'.")));
                continue;
            }
            var name = PlaceNames.Display(Text(f, Attributes[collection].Name));
            if (name is null)
            {
                problems.Add(new FeatureProblem(i, new GeometryProblem("attribute", $"The {unit} {code} has no name ({string.Join(" or ", Attributes[collection].Name)}).")));
                continue;
            }
            MultiPolygon boundary;
            if (f.Geometry is null || f.Geometry.IsEmpty)
                boundary = Factory.CreateMultiPolygon();
            else
            {
                var g = Flat2D.HasZOrM(f.Geometry) ? Flat2D.Of(f.Geometry) : f.Geometry;
                var found = InputGeometryCheck.Check(g);
                if (found.Count > 0) { problems.AddRange(found.Select(p => new FeatureProblem(i, p))); continue; }
                if (g is Polygon p) boundary = Factory.CreateMultiPolygon([(Polygon)Factory.CreateGeometry(p)]);
                else if (g is MultiPolygon m) boundary = (MultiPolygon)Factory.CreateGeometry(m);
                else
                {
                    problems.Add(new FeatureProblem(i, new GeometryProblem("not-a-polygon", $"A {unit} boundary must be a polygon, not a {g.GeometryType}.")));
                    continue;
                }
            }
            var row = new Row(i, code, name, PlaceNames.Display(Text(f, Attributes[collection].Province)),
                PlaceNames.Display(Text(f, Attributes[collection].Department)), boundary, Text(f, "source", "fuente") ?? datasetName,
                double.TryParse(Text(f, "COUNT"), NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : boundary.Area);
            rows.Add(row);
            if (boundary.IsEmpty) withoutBoundary.Add(row);
        }
        if (problems.Count > 0)
        {
            var first = problems[0];
            throw new ImportException(Note.Of("import.problems", ("dataset", datasetName), ("count", problems.Count),
                ("feature", first.FeatureIndex), ("problem", first.Problem.Message)), problems);
        }

        var notes = new List<Note>();
        rows = Merge(collection, rows, datasetName, notes);
        if (withoutBoundary.Count > 0)
            notes.Add(NoBoundary(unit, withoutBoundary.Count, withoutBoundary.Select(r => $"{r.Code} {r.Name}").ToList()));

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await using (var create = new NpgsqlCommand(
                "CREATE TEMP TABLE admin_limits_load (code text, name text, province text, department text, wkb bytea, source text) ON COMMIT DROP", connection))
                await create.ExecuteNonQueryAsync(ct);
            var wkb = new WKBWriter();
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY admin_limits_load (code, name, province, department, wkb, source) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var r in rows)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(r.Code, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.Name, NpgsqlDbType.Text, ct);
                    await WriteNullable(copy, r.Province, ct);
                    await WriteNullable(copy, r.Department, ct);
                    await copy.WriteAsync(wkb.Write(r.Boundary), NpgsqlDbType.Bytea, ct);
                    await WriteNullable(copy, r.Source, ct);
                }
                await copy.CompleteAsync(ct);
            }
            var (columns, values) = collection switch
            {
                "districts" => ("ubigeo, name, province, department, boundary, source", "code, name, province, department, geom, source"),
                "provinces" => ("code, name, department, boundary, source", "code, name, department, geom, source"),
                _ => ("code, name, boundary, source", "code, name, geom, source"),
            };
            var kept = new List<string>();
            await using (var kept1 = new NpgsqlCommand(
                $"SELECT l.code || ' ' || t.name || ' (' || coalesce(t.source, 'unknown source') || ')' FROM admin_limits_load l JOIN {table} t ON t.{key} = l.code ORDER BY l.code", connection))
            await using (var reader = await kept1.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) kept.Add(reader.GetString(0));
            int inserted;
            await using (var insert = new NpgsqlCommand(
                $"""
                 INSERT INTO {table} ({columns})
                 SELECT {values} FROM (SELECT *, ST_Multi(ST_SetSRID(ST_GeomFromWKB(wkb), 4326)) AS geom FROM admin_limits_load) l
                 ON CONFLICT ({key}) DO NOTHING
                 """, connection))
                inserted = await insert.ExecuteNonQueryAsync(ct);
            db.Datasets.Add(new Dataset
            {
                Name = datasetName, Collection = collection, Sha256 = sha256, FeatureCount = inserted, LoadedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            if (kept.Count > 0)
                notes.Insert(0, Kept(unit, kept.Count, kept));
            return new ImportResult(collection, inserted, false) { Notes = notes };
        }
        catch (DbUpdateException e) when (DatabaseConflict.IsUniqueViolation(e, DatabaseConflict.DatasetHash))
        {
            // The same file imported at the same moment by another caller: it is loaded once, by them.
            return new ImportResult(collection, 0, true);
        }
        finally
        {
            db.ChangeTracker.Clear();
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Several features of one code: districts must not repeat (refused); INEI's province file cuts a province into
    /// pieces with the same code (Piura 2001 and a piece misspelt "PUIRA"): their polygons are joined, and the name is
    /// the one of the piece with most districts.
    /// </summary>
    // One code per level: each language says "district", "provincia"... with its own grammar.
    private static Note Kept(string unit, int count, List<string> names) => unit switch
    {
        "district" => Note.Of("admin.kept_district", ("count", count), ("names", names)),
        "province" => Note.Of("admin.kept_province", ("count", count), ("names", names)),
        _ => Note.Of("admin.kept_department", ("count", count), ("names", names)),
    };

    private static Note NoBoundary(string unit, int count, List<string> names) => unit switch
    {
        "district" => Note.Of("admin.no_boundary_district", ("count", count), ("names", names)),
        "province" => Note.Of("admin.no_boundary_province", ("count", count), ("names", names)),
        _ => Note.Of("admin.no_boundary_department", ("count", count), ("names", names)),
    };

    private static Note Pieces(string unit, string code, int count, List<string> names, string name) => unit switch
    {
        "district" => Note.Of("admin.pieces_district", ("code", code), ("count", count), ("names", names), ("name", name)),
        "province" => Note.Of("admin.pieces_province", ("code", code), ("count", count), ("names", names), ("name", name)),
        _ => Note.Of("admin.pieces_department", ("code", code), ("count", count), ("names", names), ("name", name)),
    };

    private static List<Row> Merge(string collection, List<Row> rows, string datasetName, List<Note> notes)
    {
        var groups = rows.GroupBy(r => r.Code).Where(g => g.Count() > 1).ToList();
        if (groups.Count == 0) return rows;
        if (collection == "districts")
        {
            var twice = groups[0].ToList();
            throw new ImportException(Note.Of("import.district_twice", ("dataset", datasetName), ("ubigeo", groups[0].Key),
                    ("count", twice.Count), ("features", twice.Select(r => r.Index).ToArray())),
                twice.Skip(1).Select(r => new FeatureProblem(r.Index, new GeometryProblem("duplicate-code", $"District {r.Code} appears more than once."))).ToList());
        }
        var merged = new List<Row>();
        foreach (var g in rows.GroupBy(r => r.Code))
        {
            var parts = g.ToList();
            if (parts.Count == 1) { merged.Add(parts[0]); continue; }
            var main = parts.OrderByDescending(p => p.Weight).First();
            var polygons = parts.SelectMany(p => Enumerable.Range(0, p.Boundary.NumGeometries).Select(i => (Polygon)p.Boundary.GetGeometryN(i))).ToArray();
            merged.Add(main with { Boundary = Factory.CreateMultiPolygon(polygons) });
            notes.Add(Pieces(Shape(collection).Unit, g.Key, parts.Count, parts.Select(p => p.Name).ToList(), main.Name));
        }
        return merged.OrderBy(r => r.Index).ToList();
    }

    private static async Task WriteNullable(NpgsqlBinaryImporter copy, string? value, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, NpgsqlDbType.Text, ct);
    }

    /// <summary>The attribute names read for each column, first found wins (INEI 2007 and 2023 files, this service's exports).</summary>
    public static readonly IReadOnlyDictionary<string, (string[] Code, string[] Name, string[] Province, string[] Department)> Attributes =
        new Dictionary<string, (string[], string[], string[], string[])>
        {
            ["districts"] = (["ubigeo", "IDDIST"], ["name", "nombre_distrito", "NOMBDIST", "nombre"],
                ["province", "nombre_provincia", "NOMBPROV"], ["department", "nombre_departamento", "NOMBDEP"]),
            ["provinces"] = (["code", "IDPROV", "FIRST_IDPR", "ubigeo"], ["name", "NOMBPROV", "nombre_provincia", "nombre"],
                [], ["department", "FIRST_NOMB", "NOMBDEP", "nombre_departamento"]),
            ["departments"] = (["code", "IDDPTO", "FIRST_IDDP", "ubigeo"], ["name", "NOMBDEP", "nombre_departamento", "nombre"], [], []),
        };

    private static string? CodeOf(string collection, IFeature f) => Text(f, Attributes[collection].Code)?.Trim();

    private static string? Text(IFeature f, params string[] names)
    {
        foreach (var n in names)
        {
            var k = f.Attributes?.GetNames().FirstOrDefault(a => string.Equals(a, n, StringComparison.OrdinalIgnoreCase));
            if (k is not null && f.Attributes![k] is { } v && Convert.ToString(v, CultureInfo.InvariantCulture) is { Length: > 0 } s) return s;
        }
        return null;
    }
}
