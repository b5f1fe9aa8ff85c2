using System.Globalization;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.Printing;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary><c>barrio fieldkit --plan ID [--shift NAME] [--lang es|en] --out KIT.pdf [--db CONNECTION]</c>.</summary>
public sealed class FieldKitCommand : ICommand
{
    /// <summary>The environment variable read when --base-url is not given (the service reads Barrio:PublicBaseUrl).</summary>
    public const string PublicUrlVariable = "BARRIO_PUBLIC_URL";

    public string Name => "fieldkit";

    public string Summary => "Print a kept plan's field kit to a PDF (cover, a page per sector with its route)";

    public string Help => $"""
        Usage: barrio fieldkit --plan ID [--shift NAME] [--lang es|en] --out KIT.pdf [--base-url URL] [--db CONNECTION]

        Writes the field kit of the kept plan ID as an A4 PDF, the same as GET /api/plans/ID/fieldkit.pdf: a
        cover with every sector and the plan's figures, then a page per sector with its map, its newest kept
        route for the shift, the timed stops, the route street by street and a QR code of the route's GPX;
        then the cycle calendar. Each route's GPX is also attached inside the PDF, so it works offline. A
        sector without a route for the shift still gets its page, which says so.

        Options:
          --plan ID        the kept plan (its id in the service)
          --shift NAME     the shift whose kept routes are printed. Default: {FieldKitSource.DefaultShift}
          --lang es|en     the kit's language: es (Spanish of Peru) or en. Default: es
          --out KIT.pdf    the file to write; replaced only when the whole kit was written
          --base-url URL   the public address officers reach the service at from the field (e.g.
                           https://barrio.example.pe), for the QR codes and links of the GPX routes.
                           Default: {PublicUrlVariable}. A loopback address (127.0.0.1, localhost) is refused.
                           Without one the kit has no QR code, says so, and still carries the GPX inside.
        {CliDatabase.Help}
        Example: barrio fieldkit --plan 3 --shift tarde --out kit_tarde.pdf
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--plan", "--shift", "--lang", "--out", "--base-url", "--db");
        parsed.NoPositionals();
        var planText = parsed.Required("--plan", "ID");
        if (!int.TryParse(planText, NumberStyles.None, CultureInfo.InvariantCulture, out var planId) || planId < 1)
            throw new UsageException($"--plan must be a plan id (a whole number from 1), not '{planText}'");
        var lang = parsed.Option("--lang") ?? "es";
        var text = FieldKitText.All.FirstOrDefault(t => t.Language == lang)
                   ?? throw new UsageException($"--lang must be {string.Join(" or ", FieldKitText.All.Select(t => t.Language))}, not '{lang}'");
        var output = Path.GetFullPath(parsed.Required("--out", "KIT.pdf"));
        var url = parsed.Option("--base-url") ?? Environment.GetEnvironmentVariable(PublicUrlVariable);
        PublicBaseUrl? publicBase = null;
        if (!string.IsNullOrWhiteSpace(url))
            publicBase = PublicBaseUrl.Parse(url, out var reason)
                         ?? throw new UsageException($"--base-url (or {PublicUrlVariable}): {reason}");
        MapStyle style;
        try { style = MapStyle.Default(); }
        catch (FontsMissingException e) { throw new CommandFailedException(e.Message, e); }
        return RunAsync(planId, parsed.Option("--shift"), text, style, output, publicBase,
            parsed.Option("--db"), context).GetAwaiter().GetResult();
    }

    // Reads only: no migration check (CliDatabase.ReadAsync says what a database that is behind lacks).
    private static Task<int> RunAsync(
        int planId, string? shift, FieldKitText text, MapStyle style, string output, PublicBaseUrl? publicBase, string? db, CommandContext context) =>
        CliDatabase.ReadAsync(db, dbContext => WriteKitAsync(planId, shift, text, style, output, publicBase, dbContext, context));

    private static async Task<int> WriteKitAsync(int planId, string? shift, FieldKitText text, MapStyle style, string output,
        PublicBaseUrl? publicBase, BarrioDbContext dbContext, CommandContext context)
    {
        var input = await new FieldKitSource(dbContext).LoadAsync(planId, shift, CancellationToken.None)
                    ?? throw new CommandFailedException($"no plan {planId} in the database");
        var kit = FieldKitBuilder.Build(input, text, publicBase, DateTimeOffset.UtcNow);

        var pages = 0;
        var attached = kit.Sheets.Count(s => s.Route?.Gpx is not null);
        // Written beside the destination, then moved into place: a failure leaves no half-written PDF.
        var scratch = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write))
                pages = FieldKitRenderer.Render(kit, style, file);
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
            $"Wrote {Path.GetFileName(output)}: plan {planId} '{kit.Cover.PlanName}', shift {kit.Cover.Shift}, {pages} pages " +
            $"(a cover and {kit.Sheets.Count} sectors, {routed} with a route, {attached} GPX attached)"));
        if (publicBase is null)
            context.Error.WriteLine($"barrio fieldkit: note: no public address (--base-url or {PublicUrlVariable}): the kit has no QR codes; the GPX is attached inside the PDF");
        if (routed == 0) context.Error.WriteLine($"barrio fieldkit: note: no kept route for the shift '{kit.Cover.Shift}'; the sector pages say so");
        return ExitCodes.Ok;
    }
}
