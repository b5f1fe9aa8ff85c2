using System.Globalization;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary><c>barrio neighborhood (--from-blocks BLOCKS --ids ... | --from-hotspots INCIDENTS --blocks BLOCKS) --out FILE</c>.</summary>
public sealed class NeighborhoodCommand : ICommand
{
    public string Name => "neighborhood";

    public string Summary => "Make a neighbourhood boundary from chosen blocks, or propose one around incident hot spots";

    public string Help => """
        Usage: barrio neighborhood --from-blocks BLOCKS --ids ID,ID,... --out FILE [--name NAME]
               barrio neighborhood --from-hotspots INCIDENTS --blocks BLOCKS --out FILE [--name NAME]
                                   [--radius METRES] [--min-incidents N] [--clusters N]

        The boundary is made of whole blocks (see `barrio blocks`), so it follows the streets.
          --from-blocks BLOCKS   a block file with an 'id' attribute; --ids names the blocks to join
          --from-hotspots FILE   incident points; the densest clusters (DBSCAN) and the blocks around
                                 them become the boundary, holes filled
          --radius METRES        neighbourhood radius of the clustering (default 150 m)
          --min-incidents N      incidents within the radius that make a hot spot (default 4)
          --clusters N           how many hot spots to keep (default 1)
          --name NAME            the neighbourhood's name (default: Barrio propuesto)
        FILE gets one feature with name, area_km2, blocks; any supported format by extension.

        Example: barrio neighborhood --from-hotspots incidentes.geojson --blocks manzanas.gpkg --out propuesta.geojson
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var p = CommandArgs.Parse(args, "--from-blocks", "--ids", "--from-hotspots", "--blocks", "--out", "--name", "--radius", "--min-incidents", "--clusters");
        p.NoPositionals();
        var output = p.Required("--out", "FILE");
        var fromBlocks = p.Option("--from-blocks");
        var fromHotspots = p.Option("--from-hotspots");
        if ((fromBlocks is null) == (fromHotspots is null)) throw new UsageException("give either --from-blocks or --from-hotspots");

        // Options first: a mistyped number is a usage error, whatever the files hold.
        var options = new HotspotOptions
        {
            RadiusMeters = Number(p, "--radius", 150, 1, 10_000),
            MinIncidents = (int)Number(p, "--min-incidents", 4, 1, 100_000),
            MaxClusters = (int)Number(p, "--clusters", 1, 1, 1000),
        };
        var ids = fromBlocks is null ? null
            : (p.Option("--ids") ?? throw new UsageException("--from-blocks needs --ids ID,ID,..."))
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var blocksFile = fromHotspots is null ? null : p.Option("--blocks") ?? throw new UsageException("--from-hotspots needs --blocks BLOCKS");

        NeighborhoodProposal proposal;
        try
        {
            proposal = fromBlocks is not null
                ? NeighborhoodProposals.FromBlocks(ReadBlocks(fromBlocks), ids!)
                : NeighborhoodProposals.FromHotspots(
                    Read(fromHotspots!).Select(f => f.Geometry).OfType<Point>().ToList(), ReadBlocks(blocksFile!), options);
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }

        var name = p.Option("--name") ?? "Barrio propuesto";
        var areaKm2 = Measure.AreaSquareMeters(proposal.Boundary) / 1e6;
        var feature = new Feature(proposal.Boundary, new AttributesTable
        {
            { "name", name }, { "area_km2", Math.Round(areaKm2, 4) }, { "blocks", proposal.BlockIds.Count },
        });
        try
        {
            var summary = VectorFile.Write(output, [feature], Crs.Wgs84);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {name} to {Path.GetFileName(output)}: {areaKm2:0.###} km² from {proposal.BlockIds.Count:N0} blocks, {proposal.Boundary.NumGeometries} part(s) ({Crs.NameOf(summary.Epsg)})"));
        }
        catch (Exception e) when (e is InvalidVectorFileException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
        foreach (var note in proposal.Notes) context.Out.WriteLine("  " + note);
        return ExitCodes.Ok;
    }

    private static List<IFeature> Read(string path)
    {
        try
        {
            var set = VectorFile.Read(path);
            return FeatureTransform.To(set.Features, set.Epsg, Crs.Wgs84);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
    }

    private static List<BlockShape> ReadBlocks(string path)
    {
        var blocks = new List<BlockShape>();
        foreach (var (f, i) in Read(path).Select((f, i) => (f, i)))
        {
            var id = f.Attributes?.Exists("id") == true ? Convert.ToString(f.Attributes["id"], CultureInfo.InvariantCulture) : null;
            if (string.IsNullOrEmpty(id)) throw new CommandFailedException($"{Path.GetFileName(path)}: feature {i} has no 'id' attribute; make blocks with `barrio blocks`");
            if (f.Geometry is not Polygon polygon)
                polygon = f.Geometry is MultiPolygon { NumGeometries: 1 } m ? (Polygon)m.GetGeometryN(0)
                    : throw new CommandFailedException($"{Path.GetFileName(path)}: block {id} is a {f.Geometry?.GeometryType ?? "missing geometry"}, not a polygon");
            blocks.Add(new BlockShape(id, polygon));
        }
        return blocks;
    }

    private static double Number(CommandArgs p, string option, double fallback, double min, double max)
    {
        if (p.Option(option) is not { } text) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new UsageException($"{option} must be a number from {min} to {max}, not '{text}'");
        return v;
    }
}
