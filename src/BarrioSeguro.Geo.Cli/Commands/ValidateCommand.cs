using System.Globalization;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// <c>barrio validate NEIGHBORHOOD [--district DISTRICT] [--others OTHERS] [--out PROBLEMS] [--repair OUT]</c>:
/// every problem of each boundary with its place; exit 1 when any is invalid.
/// </summary>
public sealed class ValidateCommand : ICommand
{
    public string Name => "validate";

    public string Summary => "Check neighbourhood boundaries: crossings, overlaps, parts outside the district, slivers, holes";

    public string Help => """
        Usage: barrio validate NEIGHBORHOOD [--district DISTRICT] [--others OTHERS] [--out PROBLEMS] [--repair OUT]

        Checks each polygon feature of NEIGHBORHOOD and prints every problem with its place (lon, lat):
          self-intersection  every point where a ring crosses or touches itself or another ring
          overlap            the overlap with each other neighbourhood (--others) and its area
          outside-district   each piece outside the district (--district) and its area
          sliver             parts or pieces narrower than 3 m, extra parts smaller than 200 m²
          hole               holes smaller than 500 m²
          multiple-parts     more than one part where one is expected
        Features are named by their "name" (or "nombre") attribute. Exit code: 0 when every boundary is
        valid, 1 when one is not (or a file cannot be read), 2 for a wrong command line.

        Options:
          --district FILE  the district: its polygons, united
          --others FILE    other neighbourhoods; a feature with the same name as the one checked is skipped
          --out PROBLEMS   write the problems as features (kind, message, area_m2, other, feature): points
                           for crossings, polygons for areas; a shapefile is split by geometry type
          --repair OUT     write the repaired boundaries (made valid, slivers dropped, small holes filled,
                           clipped to the district) and print what changed

        Files may be GeoJSON, GeoPackage, shapefile or zipped shapefile, in any supported CRS, by extension.

        Example: barrio validate el_milagro.geojson --district huanchaco.geojson --out problemas.gpkg
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--district", "--others", "--out", "--repair");
        if (parsed.Positionals.Count != 1)
            throw new UsageException(parsed.Positionals.Count == 0 ? "expected a NEIGHBORHOOD file" : $"unexpected argument '{parsed.Positionals[1]}'");

        var neighborhoods = Read(parsed.Positionals[0]);
        Geometry? district = null;
        if (parsed.Option("--district") is { } districtPath)
        {
            var polygons = Read(districtPath).Select(f => f.Geometry).Where(g => g is Polygon or MultiPolygon).ToList();
            if (polygons.Count == 0) throw new CommandFailedException($"{districtPath}: the district file holds no polygon");
            district = polygons.Count == 1 ? polygons[0] : polygons[0].Factory.BuildGeometry(polygons).Union();
        }
        var others = parsed.Option("--others") is { } othersPath
            ? Read(othersPath).Where(f => f.Geometry is Polygon or MultiPolygon).Select((f, i) => new OtherBoundary(NameOf(f, i), f.Geometry)).ToList()
            : [];
        if (neighborhoods.Count == 0) throw new CommandFailedException($"{parsed.Positionals[0]}: no features");

        var problemFeatures = new List<IFeature>();
        var repairedFeatures = new List<IFeature>();
        var withoutPlace = 0;
        var invalid = 0;
        for (var i = 0; i < neighborhoods.Count; i++)
        {
            var feature = neighborhoods[i];
            var name = NameOf(feature, i);
            var geometry = feature.Geometry ?? MultiPolygonEmpty;
            var theirs = others.Where(o => !string.Equals(o.Name, name, StringComparison.Ordinal)).ToList();
            var validation = BoundaryValidator.Validate(geometry, district, theirs);
            if (validation.IsValid)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: valid ({Measure.AreaSquareMeters(geometry) / 1e6:0.00} km², {geometry.NumGeometries} part{(geometry.NumGeometries == 1 ? "" : "s")})"));
            }
            else
            {
                invalid++;
                var n = validation.Problems.Count;
                context.Out.WriteLine($"{name}: {n} problem{(n == 1 ? "" : "s")}");
                foreach (var p in validation.Problems)
                {
                    context.Out.WriteLine($"  {p.Kind}: {p.Message}");
                    if (p.Location.IsEmpty) { withoutPlace++; continue; }
                    var attributes = new AttributesTable
                    {
                        { "kind", p.Kind },
                        { "message", p.Message },
                        { "area_m2", p.AreaSquareMeters is { } a ? Math.Round(a, 2) : null },
                        { "other", p.Other },
                        { "feature", name },
                    };
                    problemFeatures.Add(new Feature(p.Location, attributes));
                }
            }

            if (parsed.Option("--repair") is not null)
            {
                var repair = BoundaryRepairer.Repair(geometry, district, theirs);
                if (repair.Changes.Count == 0) context.Out.WriteLine($"{name}: nothing to repair");
                foreach (var change in repair.Changes) context.Out.WriteLine($"{name}: repaired: {change}");
                if (!repair.Repaired.IsEmpty) repairedFeatures.Add(new Feature(repair.Repaired, feature.Attributes ?? new AttributesTable()));
            }
        }

        if (parsed.Option("--out") is { } outPath)
        {
            if (problemFeatures.Count == 0)
                context.Out.WriteLine($"No problems with a place: {Path.GetFileName(outPath)} not written");
            else
            {
                var summary = Write(outPath, problemFeatures);
                var skipped = withoutPlace > 0 ? $" ({withoutPlace} without a place not written)" : "";
                context.Out.WriteLine($"Wrote {summary.FeatureCount} problem{(summary.FeatureCount == 1 ? "" : "s")} to {Path.GetFileName(outPath)}{skipped}");
            }
        }
        if (parsed.Option("--repair") is { } repairPath)
        {
            if (repairedFeatures.Count == 0)
                context.Out.WriteLine($"Nothing left after repair: {Path.GetFileName(repairPath)} not written");
            else
            {
                var summary = Write(repairPath, repairedFeatures);
                context.Out.WriteLine($"Wrote {summary.FeatureCount} repaired boundar{(summary.FeatureCount == 1 ? "y" : "ies")} to {Path.GetFileName(repairPath)}");
            }
        }
        return invalid == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static readonly Geometry MultiPolygonEmpty = new GeometryFactory(new PrecisionModel(), Crs.Wgs84).CreateMultiPolygon();

    /// <summary>The features of a file, in lon/lat; a bad file is a one-line failure.</summary>
    private static List<IFeature> Read(string path)
    {
        try
        {
            var set = VectorFile.Read(path);
            return FeatureTransform.To(set.Features, set.Epsg, Crs.Wgs84);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
    }

    private static WriteSummary Write(string path, List<IFeature> features)
    {
        try
        {
            return VectorFile.Write(path, features, Crs.Wgs84);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
    }

    /// <summary>The "name" attribute (or "nombre", "nombre_distrito", "NOMBDIST" as INEI names districts), else "feature N" (1-based).</summary>
    private static string NameOf(IFeature feature, int index)
    {
        if (feature.Attributes is { } a)
            foreach (var key in new[] { "name", "nombre", "nombre_distrito", "nombdist" })
            {
                var actual = a.GetNames().FirstOrDefault(n => string.Equals(n, key, StringComparison.OrdinalIgnoreCase));
                if (actual is not null && a[actual] is { } v && AsText(v) is { Length: > 0 } text) return text;
            }
        return $"feature {index + 1}";
    }

    private static string AsText(object v) => v switch
    {
        string s => s.Trim(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
