using System.Globalization;
using System.Security.Cryptography;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Import;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.IO.Osm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary><c>barrio import-osm FILE.osm.pbf (--district UBIGEO | --boundary FILE | --bbox BOX)</c>: an OSM extract into the database.</summary>
public sealed class ImportOsmCommand : ICommand
{
    public string Name => "import-osm";

    public string Summary => "Load the streets and comisarías of an OpenStreetMap PBF extract, clipped to a district";

    public string Help => $"""
        Usage: barrio import-osm FILE.osm.pbf (--district UBIGEO | --boundary FILE | --bbox MINLON,MINLAT,MAXLON,MAXLAT)
                                 [--buildings] [--timeout SECONDS] [--db CONNECTION] [--as NAME]

        Reads the extract with osmium-tool (Debian package osmium-tool) and loads, clipped to the area:
        every highway way into streets (osm_id, name, class = the highway value, oneway, layer, bridge,
        tunnel; a way cut by the boundary keeps the pieces inside), and every amenity=police node or area
        into stations (a point on the area's surface, with its name), and with --buildings every building
        way or relation that overlaps the area into buildings (osm_id, kind = the building value, name;
        blocks count them). All or nothing: one transaction.
        The same file for the same area loaded again adds nothing.

        Refused, writing nothing: a file that is not a PBF or is truncated, an unknown ubigeo, an area of
        which less than {AreaClip.RefuseBelowPct.ToString(CultureInfo.InvariantCulture)} % lies inside the box of the extract's streets and
        comisarías (below {AreaClip.WarnBelowPct.ToString(CultureInfo.InvariantCulture)} % the import goes on with a warning naming the share).

        Options:
          --district UBIGEO  a district of the database (six digits; Huanchaco is 130104)
          --boundary FILE    polygon(s) of a file in any supported format and CRS, merged
          --bbox BOX         minlon,minlat,maxlon,maxlat in degrees
          --buildings        also load the building footprints
          --timeout SECONDS  how long osmium may run. Default: {OsmReadOptions.DefaultTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}
        {CliDatabase.Help}
        {CliAudit.Help}

        Example: barrio import-osm huanchaco.osm.pbf --district 130104
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var buildings = args.Contains("--buildings");
        var parsed = CommandArgs.Parse(args.Where(a => a != "--buildings").ToList(), "--district", "--boundary", "--bbox", "--timeout", "--db", CliAudit.AsOption);
        if (parsed.Positionals.Count != 1) throw new UsageException("expected one FILE.osm.pbf");
        var path = parsed.Positionals[0];
        var given = new[] { "--district", "--boundary", "--bbox" }.Where(o => parsed.Option(o) is not null).ToList();
        if (given.Count != 1) throw new UsageException(Note.Of("osm.area_required").ToString());
        if (!File.Exists(path)) throw new CommandFailedException($"{path}: file not found");
        TimeSpan? timeout = null;
        if (parsed.Option("--timeout") is { } t)
            timeout = double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                ? TimeSpan.FromSeconds(s) : throw new UsageException($"--timeout must be a positive number of seconds, not '{t}'");

        try
        {
            // The area first when it needs no database: a bad box or boundary is refused before osmium runs.
            var area = parsed.Option("--bbox") is { } box ? OsmArea.ParseBox(box)
                : parsed.Option("--boundary") is { } boundary ? new OsmArea(Path.GetFileName(boundary), Boundary(boundary)) : null;
            OsmExtract extract;
            using (var bar = ProgressBar.ForStderr(context))
                extract = OsmPbf.Read(path, new OsmReadOptions(Buildings: buildings, Timeout: timeout), new Progress(bar, 0, 0.5));
            return RunAsync(path, extract, buildings, area, parsed.Option("--district"), parsed.Option("--db"), CliAudit.User(parsed), context)
                .GetAwaiter().GetResult();
        }
        catch (RefusalException e)
        {
            throw new CommandFailedException($"{Path.GetFileName(path)}: {e.Reason}", e);
        }
        catch (OsmReaderUnavailableException e)
        {
            throw new CommandFailedException(e.Message, e);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException)
        {
            throw new CommandFailedException(e.Message.ReplaceLineEndings(" "), e);
        }
    }

    private static async Task<int> RunAsync(
        string path, OsmExtract extract, bool buildings, OsmArea? area, string? ubigeo, string? db, string user, CommandContext context)
    {
        await using var database = await CliDatabase.OpenAsync(db, CancellationToken.None);
        await using var dbContext = database.NewContext();
        var importer = new OsmImporter(dbContext);
        var file = Path.GetFileName(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        try
        {
            area ??= await importer.DistrictAsync(ubigeo!);
            OsmImportResult result;
            using (var bar = ProgressBar.ForStderr(context))
                result = await importer.ImportAsync(new OsmFeatures(extract.Streets, extract.Stations, extract.DataBounds,
                    buildings ? extract.Buildings : null), area, file, sha,
                    new Progress(bar, 0.5, 1));
            await CliAudit.AppendAsync(database, user, "import-osm", "streets", $"{file} ({area.Label})", 200,
                ("sha256", sha), ("streets", result.Streets), ("stations", result.Stations), ("coveredPct", result.CoveredPct),
                ("buildings", result.Buildings ?? 0), ("alreadyLoaded", result.AlreadyLoaded));
            CliWarnings.Write(context, path, result.Warnings.Concat(result.ImportNotes));
            if (result.Buildings is { } b)
                context.Out.WriteLine($"{file}: " + Note.Of("osm.buildings_loaded", ("count", b), ("area", area.Label)));
            context.Out.WriteLine($"{file}: " + (result.AlreadyLoaded
                ? Note.Of("osm.already_loaded", ("area", area.Label)).ToString()
                : Note.Of("osm.loaded", ("streets", result.Streets), ("km", result.StreetKm), ("stations", result.Stations), ("area", area.Label)).ToString()));
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is RefusalException or ImportException)
        {
            var reason = e is RefusalException r ? r.Reason.ToString() : ((ImportException)e).Local;
            await CliAudit.AppendAsync(database, user, "import-osm", "streets", $"{file} ({area?.Label ?? ubigeo})", 422, ("sha256", sha), ("refused", reason));
            throw new CommandFailedException($"{file}: {reason}", e);
        }
    }

    private static Geometry Boundary(string path)
    {
        var set = VectorFile.Read(path);
        var polygons = FeatureTransform.To(set.Features, set.Epsg, Crs.Wgs84).Select(f => f.Geometry).Where(g => g is IPolygonal).ToList();
        if (polygons.Count == 0) throw new CommandFailedException($"{Path.GetFileName(path)}: no polygon to clip to");
        return polygons.Count == 1 ? polygons[0] : OverlayNGRobust.Union(polygons);
    }

    // One bar for both stages: reading the file, then clipping and writing.
    private sealed class Progress(IProgress<double> bar, double from, double to) : IProgress<double>
    {
        public void Report(double value) => bar.Report(from + (to - from) * value);
    }
}
