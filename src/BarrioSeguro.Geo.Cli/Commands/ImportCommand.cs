using System.Globalization;
using System.Security.Cryptography;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Import;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.IO.Shapefile;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary><c>barrio import FILE... [--collection NAME] [--non-lines skip|refuse] [--encoding NAME] [--db CONNECTION]</c>: vector files into the database.</summary>
public sealed class ImportCommand : ICommand
{
    public string Name => "import";

    public string Summary => "Load vector files into the database (streets, stations, districts, neighborhoods, incidents)";

    public string Help => $"""
        Usage: barrio import FILE... [--collection NAME] [--non-lines skip|refuse] [--encoding NAME]
                                     [--db CONNECTION] [--as NAME]

        Loads each FILE (GeoJSON, GeoPackage, shapefile or zipped shapefile, in any supported CRS) into a
        collection of the database. Each file is all or nothing: one unfit feature (an invalid polygon,
        coordinates outside Peru or with latitude and longitude swapped) refuses the file and names the
        feature. A file loaded before (same checksum) is skipped. Shapefile field names cut to 10 bytes on
        export (districtUb, isIllustra, descriptio) are read back under their full names. What was not
        loaded as given is named in warnings on stderr ("warning: FILE: ..."): features left out (numbered
        from 1 in file order), attributes no column takes, columns no attribute fills, encoding guesses.

        Options:
          --collection NAME  streets, stations, districts, provinces, departments, neighborhoods or
                             incidents. Default: guessed from the data: lines are streets; polygons with a
                             ubigeo are districts (INEI's province and department files: provinces,
                             departments), other polygons neighborhoods; points with a date are incidents,
                             other points stations. A district, province or department already loaded keeps
                             its boundary (the first loaded wins; a warning names them).
          --non-lines skip|refuse
                             street features that are not lines (Points, MultiPoints, collections without
                             lines: what clipping leaves where a street touches the boundary). skip: left
                             out and named in one warning; refuse: the file is refused, naming the first
                             one. A GeometryCollection keeps its lines (refuse: refused). Default: skip
          --district UBIGEO  the district the file is an extract of: streets and stations of a district are one
                             dataset, and a newer extract is a new version that replaces the previous one (see
                             `barrio imports`; `barrio delete import ID` puts the previous one back). Default: none,
                             the file adds to the collection
          --encoding NAME    text encoding of shapefile DBFs (UTF-8, cp1252, ISO-8859-1, cp850, ...), over
                             their .cpg and language byte. Default: the .cpg, else the language byte (byte
                             29), else UTF-8 when all the text is valid UTF-8, else windows-1252
                             (Spanish-language Windows); a guess is named in a warning
        {CliDatabase.Help}
        {CliAudit.Help}

        Each file loaded or refused leaves a row in the audit trail.

        Example: barrio import calles.zip --collection streets
        """;

    /// <summary>lifecycle: the district the file is an extract of (a newer one is a new version of its dataset).</summary>
    public const string DistrictOption = "--district";

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--collection", StreetInput.Option, EncodingOption.Name, "--db", CliAudit.AsOption, DistrictOption);
        if (parsed.Positionals.Count == 0) throw new UsageException("expected at least one FILE");
        var collection = parsed.Option("--collection");
        if (collection is not null && !CollectionImporter.ImportableCollections.Contains(collection))
            throw new UsageException($"unknown collection '{collection}' (one of {string.Join(", ", CollectionImporter.ImportableCollections)})");

        var options = new ImportOptions(StreetInput.Policy(parsed)) { District = parsed.Option(DistrictOption), User = CliAudit.User(parsed) };
        var readOptions = EncodingOption.Parse(parsed);

        // Read and check every file before touching the database.
        var files = parsed.Positionals.Select(path =>
        {
            try
            {
                var set = VectorFile.Read(path, readOptions);
                CliWarnings.Write(context, path, set.Warnings);
                var chosen = collection ?? Guess(set.Features, path);
                // Shapefile field names cut to 10 bytes (districtUb) get the collection's names back (districtUbigeo).
                set = DbfFieldNames.Restore(set, CollectionImporter.Columns[chosen].SelectMany(c => c.Attributes));
                var features = FeatureTransform.To(set.Features, set.Epsg, Crs.Wgs84);
                return (Path: path, Features: features, Collection: chosen);
            }
            catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException)
            {
                throw new CommandFailedException(CliText.Of(e), e);
            }
        }).ToList();

        return RunAsync(files, options, parsed.Option("--db"), CliAudit.User(parsed), context).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(
        List<(string Path, List<IFeature> Features, string Collection)> files, ImportOptions options, string? db, string user, CommandContext context)
    {
        await using var database = await CliDatabase.OpenAsync(db, CancellationToken.None);
        foreach (var (path, features, collection) in files)
        {
            await using var dbContext = database.NewContext();
            var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
            try
            {
                var result = await new CollectionImporter(dbContext).ImportAsync(collection, features, Path.GetFileName(path), sha, options);
                await CliAudit.AppendAsync(database, user, "import", collection, Path.GetFileName(path), 200,
                    ("sha256", sha), ("inserted", result.Inserted), ("alreadyLoaded", result.AlreadyLoaded), ("import", result.DatasetId), ("version", result.Version));
                CliWarnings.Write(context, path, result.Notes);
                context.Out.WriteLine(result.AlreadyLoaded
                    ? $"{Path.GetFileName(path)}: already loaded into {collection}, nothing added"
                    : string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}: {result.Inserted:N0} features loaded into {collection} (import {result.DatasetId}, version {result.Version}{(result.Replaced is { } r ? $", replacing import {r}" : "")})"));
            }
            catch (ImportException e)
            {
                await CliAudit.AppendAsync(database, user, "import", collection, Path.GetFileName(path), 422, ("sha256", sha), ("refused", e.Message));
                throw new CommandFailedException($"{Path.GetFileName(path)}: {e.Local}", e);
            }
        }
        return ExitCodes.Ok;
    }

    // By the kind most features have: a clipped street file may start with a touch point.
    private static string Guess(IReadOnlyList<IFeature> features, string path)
    {
        var withGeometry = features.Where(f => f.Geometry is not null).ToList();
        if (withGeometry.Count == 0) throw new CommandFailedException($"{Path.GetFileName(path)}: no feature has a geometry");
        var kind = withGeometry.GroupBy(f => Kind(f.Geometry)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var first = withGeometry.First(f => Kind(f.Geometry) == kind);
        bool Has(params string[] names) => first.Attributes?.GetNames().Any(n => names.Contains(n, StringComparer.OrdinalIgnoreCase)) == true;
        return first.Geometry switch
        {
            _ when kind == 0 => "streets",
            IPolygonal when Has("ubigeo", "IDDIST") && !Has("districtUbigeo") => "districts",
            IPolygonal when Has("FIRST_IDPR", "IDPROV") => "provinces", // INEI's province file
            IPolygonal when Has("FIRST_IDDP", "IDDPTO") => "departments",
            IPolygonal => "neighborhoods",
            IPuntal when Has("occurredAt", "occurred_at", "date", "fecha") => "incidents",
            IPuntal => "stations",
            _ => throw new CommandFailedException($"{Path.GetFileName(path)}: cannot tell the collection of a {first.Geometry.GeometryType}; give --collection"),
        };
    }

    // 0 lines (a collection with lines counts), 1 polygons, 2 points, 3 anything else.
    private static int Kind(Geometry g) => g switch
    {
        _ when StreetGeometry.LinesOf(g) is not null => 0,
        IPolygonal => 1,
        IPuntal => 2,
        _ => 3,
    };
}
