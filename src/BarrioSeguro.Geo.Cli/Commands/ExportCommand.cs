using System.Globalization;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary><c>barrio export COLLECTION --out FILE [--crs EPSG:n] [--db CONNECTION]</c>.</summary>
public sealed class ExportCommand : ICommand
{
    public string Name => "export";

    public string Summary => "Write a collection of the database to a vector file";

    public string Help => $"""
        Usage: barrio export COLLECTION --out FILE [--crs EPSG:n] [--db CONNECTION]

        Writes COLLECTION ({string.Join(", ", FeatureCatalog.Collections.Select(c => c.Name))}) to FILE; the format
        comes from the extension: .geojson, .gpkg, .shp, .zip (zipped shapefile), .kml (KML 2.2), .csv (a WKT
        column; lon,lat columns for points, x,y when projected), .fgb (FlatGeobuf) or .gpx (points and lines).

        Options:
          --out FILE       the file to write; replaced only when the export succeeded
          --crs EPSG:n     CRS of FILE. Default: EPSG:4326 for GeoJSON, KML, GPX and CSV, else the WGS 84 UTM
                           zone of the data. KML and GPX hold EPSG:4326 only

        Shapefiles hold field names of 10 bytes and text of 254 bytes: names cut (districtUbigeo as
        districtUb) and every value cut are named in warnings on stderr; barrio import maps the names back.
        {CliDatabase.Help}
        Example: barrio export streets --out calles.zip --crs EPSG:32717
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--out", "--crs", "--db");
        if (parsed.Positionals.Count != 1) throw new UsageException("expected one COLLECTION");
        var collection = parsed.Positionals[0];
        if (!FeatureCatalog.Exists(collection))
            throw new UsageException($"unknown collection '{collection}' (one of {string.Join(", ", FeatureCatalog.Collections.Select(c => c.Name))})");
        var output = parsed.Required("--out", "FILE");
        int? target = null;
        if (parsed.Option("--crs") is { } crsText)
        {
            try { target = Crs.Parse(crsText); }
            catch (UnknownCrsException) { throw new UsageException($"unknown CRS '{crsText}' (try EPSG:4326, EPSG:32717, EPSG:32718, EPSG:32719)"); }
        }
        PhaseTimes.Mark("arguments read");
        return RunAsync(collection, output, target, parsed.Option("--db"), context).GetAwaiter().GetResult();
    }

    // Reads only: no migration check (CliDatabase.ReadAsync says what a database that is behind lacks).
    private static Task<int> RunAsync(string collection, string output, int? target, string? db, CommandContext context) =>
        CliDatabase.ReadAsync(db, (CliDatabase database) => ExportAsync(collection, output, target, database, context));

    private static async Task<int> ExportAsync(string collection, string output, int? target, CliDatabase database,
        CommandContext context)
    {
        PhaseTimes.Mark("database found");
        // The base collections stream from PostGIS row by row into the writer, over plain Npgsql: EF Core's model and
        // service provider are not built at all. Kept plans and contingents are small and read through EF Core.
        await using var source = FeatureRows.Source(database.ConnectionString);
        await using var connection = source.CreateConnection();
        var features = FeatureRows.Streams(collection)
            ? FeatureRows.NonEmpty(FeatureRows.Over(connection).Read(collection))
            : await KeptAsync(database, collection);
        if (features is null) throw new CommandFailedException($"collection '{collection}' is empty: nothing to export");
        PhaseTimes.Mark("first row read");
        try
        {
            var summary = VectorFile.Write(output, features as IReadOnlyList<IFeature> ?? PhaseTimes.MarkEnd(features, "last row read"), Crs.Wgs84, target);
            PhaseTimes.Mark("file written");
            CliWarnings.Write(context, output, summary.Warnings);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {summary.FeatureCount:N0} {collection} to {Path.GetFileName(output)} ({Crs.NameOf(summary.Epsg)})"));
        }
        catch (Exception e) when (e is InvalidVectorFileException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
        PhaseTimes.Assemblies();
        return ExitCodes.Ok;
    }

    // A method of its own, so a streamed export's code does not even name EF Core's types.
    private static async Task<IReadOnlyList<IFeature>?> KeptAsync(CliDatabase database, string collection)
    {
        await using var dbContext = database.NewContext();
        return await new FeatureCatalog(dbContext).GetAllAsync(collection, null, CancellationToken.None) is { Count: > 0 } all ? all : null;
    }
}
