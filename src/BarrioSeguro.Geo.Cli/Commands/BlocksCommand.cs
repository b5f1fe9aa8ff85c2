using System.Globalization;
using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.Planning.Blocks;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// <c>barrio blocks --streets STREETS [--boundary BOUNDARY] --out BLOCKS [--snap METRES] [--incidents FILE] [--buildings FILE]</c>:
/// city blocks (manzanas) from a street file, with <see cref="BlockBuilder"/>.
/// </summary>
public sealed class BlocksCommand : ICommand
{
    public string Name => "blocks";

    public string Summary => "Make city blocks (manzanas) from the streets, clipped to a boundary";

    public string Help => $"""
        Usage: barrio blocks --streets STREETS [--boundary BOUNDARY] --out BLOCKS [--snap METRES]
                             [--incidents FILE] [--buildings FILE] [--non-lines skip|refuse]

        Makes the city blocks (manzanas) enclosed by the streets: crossings are noded, line ends that stop
        short of another street by up to the snap distance are joined, dead ends drop out, and each block
        is clipped to the boundary. The boundary never closes a block by itself: land between the last
        street and the boundary is not a block. Footways, paths, steps, service roads, tracks and ways
        under construction do not bound blocks; neither do bridges and tunnels (OSM highway, layer, bridge
        and tunnel attributes are read from STREETS).

        Files are GeoJSON, GeoPackage, shapefile or zipped shapefile, by extension, in any supported CRS.

        Options:
          --streets FILE     street lines with OSM attributes (highway, layer, bridge, tunnel)
          --boundary FILE    polygon(s) to clip to (all polygons of the file, merged). Default: no clip
          --out FILE         the blocks; attributes id, area_m2, perim_m, frontage_m, incidents, buildings
          --snap METRES      join line ends this close to another street. Default: 0.5
          --incidents FILE   points counted per block
          --buildings FILE   buildings counted per block by their interior point; when some features carry
                             a "building" attribute (OSM), only those count
        {StreetInput.Help()}

        Example: barrio blocks --streets calles.geojson --boundary barrio.geojson --out manzanas.zip
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--streets", "--boundary", "--out", "--snap", "--incidents", "--buildings", StreetInput.Option);
        parsed.NoPositionals();
        var streetsPath = parsed.Required("--streets", "FILE");
        var output = parsed.Required("--out", "FILE");
        var options = new BlockOptions();
        if (parsed.Option("--snap") is { } snapText)
        {
            if (!double.TryParse(snapText, NumberStyles.Float, CultureInfo.InvariantCulture, out var snap) || !(snap >= 0) || snap > 100)
                throw new UsageException($"--snap must be a distance in metres from 0 to 100, not '{snapText}'");
            options = options with { SnapToleranceMeters = snap };
        }

        var streets = StreetLines.From(StreetInput.Read(streetsPath, parsed, context));
        var boundary = parsed.Option("--boundary") is { } boundaryPath ? Boundary(boundaryPath) : null;
        var incidents = parsed.Option("--incidents") is { } incidentsPath ? Points(incidentsPath) : null;
        var buildings = parsed.Option("--buildings") is { } buildingsPath ? Buildings(buildingsPath) : null;

        BlockSet set;
        using (var bar = ProgressBar.ForStderr(context))
        {
            try
            {
                // The same function as the service's (BlockStore.BuildAsync).
                set = BlockPlanning.Build(streets, boundary, incidents, buildings, options, bar);
            }
            catch (ArgumentException e)
            {
                // The builder's reason without .NET's " (Parameter 'streets')".
                throw new CommandFailedException(e.Message.Split(" (Parameter")[0].ReplaceLineEndings(" "), e);
            }
        }
        if (set.Blocks.Count == 0)
            throw new CommandFailedException("the streets enclose no block" + (boundary is null ? "" : " inside the boundary") + ": nothing to write");

        WriteSummary written;
        try
        {
            written = VectorFile.Write(output, set.Blocks.Select(Feature), Crs.Wgs84);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }

        var r = set.Report;
        var km2 = set.Blocks.Sum(b => b.AreaSquareMeters) / 1e6;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Blocks:N0} block{(r.Blocks == 1 ? "" : "s")}, {km2:N2} km², from {r.InputLines:N0} streets " +
            $"({r.ExcludedByClass:N0} footways, service roads and the like, {r.ExcludedOtherLayer:N0} bridges and tunnels left out) " +
            $"in {r.ElapsedMilliseconds / 1000:N1} s"));
        var repairs = new List<string>();
        if (r.SnappedEndpoints > 0) repairs.Add(string.Create(CultureInfo.InvariantCulture, $"{r.SnappedEndpoints:N0} line ends snapped within {options.SnapToleranceMeters:0.###} m"));
        if (r.DuplicateLinesDropped > 0) repairs.Add(string.Create(CultureInfo.InvariantCulture, $"{r.DuplicateLinesDropped:N0} duplicate ways dropped"));
        if (r.DanglesDropped > 0) repairs.Add(string.Create(CultureInfo.InvariantCulture, $"{r.DanglesDropped:N0} dead-end edges dropped"));
        if (repairs.Count > 0) context.Out.WriteLine("  " + string.Join(", ", repairs));
        foreach (var note in r.Notes) context.Out.WriteLine("  " + note);
        if (incidents is not null)
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {set.Blocks.Sum(b => b.Incidents):N0} of {incidents.Count:N0} incidents fall in a block"));
        if (buildings is not null)
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {set.Blocks.Sum(b => b.Buildings):N0} of {buildings.Count:N0} buildings fall in a block"));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {written.FeatureCount:N0} blocks to {Path.GetFileName(output)} ({Crs.NameOf(written.Epsg)})"));
        return ExitCodes.Ok;
    }

    private static IFeature Feature(Block b)
    {
        var table = new AttributesTable();
        foreach (var (name, value) in BlockPlanning.Attributes(b)) table.Add(name, value);
        return new Feature(b.Geometry, table);
    }

    private static FeatureSet Read(string path)
    {
        try
        {
            return VectorFile.Read(path);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
    }

    private static Geometry Boundary(string path)
    {
        var polygons = StreetLines.Geometries(Read(path)).Where(g => g is IPolygonal).ToList();
        if (polygons.Count == 0) throw new CommandFailedException($"{Path.GetFileName(path)}: no polygon to clip to");
        return polygons.Count == 1 ? polygons[0] : OverlayNGRobust.Union(polygons);
    }

    private static List<Point> Points(string path) =>
        StreetLines.Geometries(Read(path)).SelectMany(g => g switch
        {
            Point p => [p],
            MultiPoint m => m.Geometries.Cast<Point>(),
            _ => throw new CommandFailedException($"{Path.GetFileName(path)}: incidents must be points, found a {g.GeometryType}"),
        }).ToList();

    private static List<Geometry> Buildings(string path)
    {
        var set = Read(path);
        bool IsBuilding(IFeature f) => f.Attributes?.GetNames().Any(n => string.Equals(n, "building", StringComparison.OrdinalIgnoreCase)
                                                                    && f.Attributes[n] is not (null or "" or "no")) == true;
        var tagged = set.Features.Any(IsBuilding);
        var features = set.Features.Where(f => f.Geometry is { IsEmpty: false } && (!tagged || IsBuilding(f)));
        return features.Select(f => Crs.Transform(f.Geometry, set.Epsg, Crs.Wgs84)).ToList();
    }
}

/// <summary>A one-line progress bar on stderr, drawn only when stderr is a terminal; reports run synchronously.</summary>
internal sealed class ProgressBar : IProgress<double>, IDisposable
{
    private readonly TextWriter? _writer;
    private int _last = -1;

    private ProgressBar(TextWriter? writer) => _writer = writer;

    /// <summary>A bar on the command's stderr when that is the console's and not redirected; else one that draws nothing.</summary>
    public static ProgressBar ForStderr(CommandContext context) =>
        new(ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected ? context.Error : null);

    public void Report(double value)
    {
        if (_writer is null) return;
        var percent = (int)Math.Round(Math.Clamp(value, 0, 1) * 100);
        if (percent == _last) return;
        _last = percent;
        var filled = percent * 30 / 100;
        _writer.Write($"\r[{new string('#', filled)}{new string(' ', 30 - filled)}] {percent,3} %");
        _writer.Flush();
    }

    public void Dispose()
    {
        if (_writer is null || _last < 0) return;
        _writer.Write("\r" + new string(' ', 40) + "\r");
        _writer.Flush();
    }
}
