using System.Globalization;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary><c>barrio convert IN OUT [--crs EPSG:n] [--encoding NAME]</c>: one vector file to another, formats by extension, no database.</summary>
public sealed class ConvertCommand : ICommand
{
    public string Name => "convert";

    public string Summary => "Convert a vector file (GeoJSON, GeoPackage, shapefile, zipped shapefile, KML, CSV, FlatGeobuf, GPX) to another";

    public string Help => """
        Usage: barrio convert IN OUT [--crs EPSG:n] [--encoding NAME]

        Reads IN and writes OUT; the format of each comes from its extension:
          .geojson .json   GeoJSON (written as RFC 7946, EPSG:4326)
          .gpkg            GeoPackage
          .shp             shapefile set (.shp .shx .dbf .prj .cpg); a layer with lines and points
                           becomes OUT_lines.shp and OUT_points.shp
          .zip             zipped shapefile set
          .kml             KML 2.2 (EPSG:4326 only)
          .csv             CSV: a WKT column, or lon,lat (x,y when projected) columns for points
          .fgb             FlatGeobuf, with its packed Hilbert R-tree index
          .gpx             GPX 1.1: points written as waypoints, lines as tracks (EPSG:4326 only); read:
                           waypoints, routes and tracks

        Options:
          --crs EPSG:n     CRS of OUT, e.g. EPSG:32717 (WGS 84 / UTM zone 17S) or EPSG:24877 (PSAD56 / UTM 17S).
                           Default: EPSG:4326 for GeoJSON, KML, CSV and GPX; for shapefile, GeoPackage and FlatGeobuf
                           the WGS 84 UTM zone of the data. Another CRS for GeoJSON adds a legacy "crs" member.
          --encoding NAME  text encoding of IN's shapefile DBF (UTF-8, cp1252, ISO-8859-1, cp850, ...), over
                           its .cpg and language byte. Default: the .cpg, else the language byte (byte 29),
                           else UTF-8 when all the text is valid UTF-8, else windows-1252 (Spanish-language
                           Windows); a guess is named in a warning on stderr

        Shapefiles are written with an ESRI .prj, UTF-8 attributes and a .cpg, field names cut to 10 bytes
        and text to 254 bytes; each name and value cut is named in a warning on stderr. OUT is replaced only
        when the whole conversion succeeded.

        Example: barrio convert calles.geojson calles.zip --crs EPSG:32717
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--crs", EncodingOption.Name);
        if (parsed.Positionals.Count != 2)
            throw new UsageException(parsed.Positionals.Count < 2 ? "expected IN and OUT files" : $"unexpected argument '{parsed.Positionals[2]}'");
        var (input, output) = (parsed.Positionals[0], parsed.Positionals[1]);

        int? target = null;
        if (parsed.Option("--crs") is { } crsText)
        {
            try { target = Crs.Parse(crsText); }
            catch (UnknownCrsException) { throw new UsageException($"unknown CRS '{crsText}' (try EPSG:4326, EPSG:32717, EPSG:32718, EPSG:32719)"); }
        }

        var readOptions = EncodingOption.Parse(parsed);

        WriteSummary summary;
        try
        {
            var source = VectorFile.Read(input, readOptions);
            CliWarnings.Write(context, input, source.Warnings);
            summary = VectorFile.Write(output, source.Features, source.Epsg, target);
            CliWarnings.Write(context, output, summary.Warnings);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }

        var written = Path.GetFileName(output);
        var files = summary.Files.Where(f => f.EndsWith(".shp", StringComparison.OrdinalIgnoreCase)).Select(Path.GetFileName).ToList();
        var split = files.Count > 1 ? $": {string.Join(", ", files)}" : "";
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {summary.FeatureCount:N0} feature{(summary.FeatureCount == 1 ? "" : "s")} to {written} ({Crs.NameOf(summary.Epsg)}){split}"));
        return ExitCodes.Ok;
    }
}
