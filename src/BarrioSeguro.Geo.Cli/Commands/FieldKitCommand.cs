using System.Globalization;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.Printing;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary><c>barrio fieldkit --plan ID [--shift NAME] [--lang es|en] --out KIT.pdf [--db CONNECTION]</c>.</summary>
public sealed class FieldKitCommand : ICommand
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public string Name => "fieldkit";

    public string Summary => "Print a kept plan's field kit to a PDF (cover, a page per sector with its route)";

    public string Help => $"""
        Usage: barrio fieldkit --plan ID [--shift NAME] [--lang es|en] --out KIT.pdf [--url BASE] [--db CONNECTION]

        Writes the field kit of the kept plan ID as an A4 PDF, the same as GET /api/plans/ID/fieldkit.pdf: a
        cover with every sector and the plan's figures, then a page per sector with its map, its newest kept
        route for the shift, the timed stops and a QR code of the route's GPX. A sector without a route for
        the shift still gets its page, which says so.

        Options:
          --plan ID        the kept plan (its id in the service)
          --shift NAME     the shift whose kept routes are printed. Default: {FieldKitSource.DefaultShift}
          --lang es|en     the kit's language: es (Spanish of Peru) or en. Default: es
          --out KIT.pdf    the file to write; replaced only when the whole kit was written
          --url BASE       where the service answers, for the QR codes of the GPX routes. Default: the first
                           address of BARRIO_URLS, else {DefaultUrl}
        {CliDatabase.Help}
        Example: barrio fieldkit --plan 3 --shift tarde --out kit_tarde.pdf
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--plan", "--shift", "--lang", "--out", "--url", "--db");
        parsed.NoPositionals();
        var planText = parsed.Required("--plan", "ID");
        if (!int.TryParse(planText, NumberStyles.None, CultureInfo.InvariantCulture, out var planId) || planId < 1)
            throw new UsageException($"--plan must be a plan id (a whole number from 1), not '{planText}'");
        var lang = parsed.Option("--lang") ?? "es";
        var text = FieldKitText.All.FirstOrDefault(t => t.Language == lang)
                   ?? throw new UsageException($"--lang must be {string.Join(" or ", FieldKitText.All.Select(t => t.Language))}, not '{lang}'");
        var output = Path.GetFullPath(parsed.Required("--out", "KIT.pdf"));
        var url = parsed.Option("--url")
                  ?? Environment.GetEnvironmentVariable("BARRIO_URLS")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
                  ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--url must be an http(s) address, not '{url}'");
        MapStyle style;
        try { style = MapStyle.Default(); }
        catch (FontsMissingException e) { throw new CommandFailedException(e.Message, e); }
        return RunAsync(planId, parsed.Option("--shift"), text, style, output, uri.GetLeftPart(UriPartial.Authority),
            parsed.Option("--db"), context).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(
        int planId, string? shift, FieldKitText text, MapStyle style, string output, string origin, string? db, CommandContext context)
    {
        await using var database = await CliDatabase.OpenAsync(db, CancellationToken.None);
        await using var dbContext = database.NewContext();
        var input = await new FieldKitSource(dbContext).LoadAsync(planId, shift, CancellationToken.None)
                    ?? throw new CommandFailedException($"no plan {planId} in the database");
        var kit = FieldKitBuilder.Build(input, text, origin, DateTimeOffset.UtcNow);

        // Written beside the destination, then moved into place: a failure leaves no half-written PDF.
        var scratch = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write))
                FieldKitRenderer.Render(kit, style, file);
            File.Move(scratch, output, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot write {output}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        finally
        {
            if (File.Exists(scratch)) File.Delete(scratch);
        }
        var routed = kit.Sheets.Count(s => s.Route is not null);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {Path.GetFileName(output)}: plan {planId} '{kit.Cover.PlanName}', shift {kit.Cover.Shift}, {1 + kit.Sheets.Count} pages " +
            $"(a cover and {kit.Sheets.Count} sectors, {routed} with a route)"));
        if (routed == 0) context.Error.WriteLine($"barrio fieldkit: note: no kept route for the shift '{kit.Cover.Shift}'; the sector pages say so");
        return ExitCodes.Ok;
    }
}
