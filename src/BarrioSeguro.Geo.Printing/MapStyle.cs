using SkiaSharp;

namespace BarrioSeguro.Geo.Printing;

/// <summary>
/// How the field kit looks: colours, line widths (points) and the typeface. The sector colours are the viewer's (Paul Tol's
/// colour-blind-safe "muted" scheme, wwwroot/js/styles.js), so a sector has the same colour on screen and on paper.
/// </summary>
public sealed record MapStyle(
    IReadOnlyList<SKColor> SectorColors, SKColor Ink, SKColor Muted, SKColor Street, float StreetWidth, SKColor Outline, float OutlineWidth,
    float RouteWidth, SKColor RouteCasing, SKColor Hotspot, float FillAlpha, SKColor OutsideVeil, SKTypeface Regular, SKTypeface Bold)
{
    public static readonly IReadOnlyList<SKColor> TolMuted =
        new[] { "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#DDDDDD" }
            .Select(SKColor.Parse).ToList();

    /// <summary>The printed style with DejaVu Sans from <paramref name="fontDirectory"/>.</summary>
    /// <exception cref="FontsMissingException">DejaVu Sans is not installed there.</exception>
    public static MapStyle Default(string fontDirectory = DejaVuDirectory) => new(
        TolMuted, SKColor.Parse("#14202b"), SKColor.Parse("#5b6770"), SKColor.Parse("#c4c8cc"), 0.8f, SKColor.Parse("#14202b"), 1.6f,
        3.2f, SKColors.White, SKColor.Parse("#d7191c"), 0.10f, new SKColor(255, 255, 255, 170),
        Load(fontDirectory, "DejaVuSans.ttf"), Load(fontDirectory, "DejaVuSans-Bold.ttf"));

    public const string DejaVuDirectory = "/usr/share/fonts/truetype/dejavu";

    /// <summary>The colour of a sector by its 0-based index; cycles after ten.</summary>
    public SKColor SectorColor(int index) => SectorColors[((index % SectorColors.Count) + SectorColors.Count) % SectorColors.Count];

    /// <summary>Dark ink on light colours, white on dark ones (relative luminance, as the viewer's inkOn).</summary>
    public SKColor InkOn(SKColor c)
    {
        static double Lin(byte v) { var x = v / 255.0; return x <= 0.03928 ? x / 12.92 : Math.Pow((x + 0.055) / 1.055, 2.4); }
        var l = 0.2126 * Lin(c.Red) + 0.7152 * Lin(c.Green) + 0.0722 * Lin(c.Blue);
        return l > 0.35 ? Ink : SKColors.White;
    }

    private static SKTypeface Load(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
            throw new FontsMissingException(
                $"The field kit needs the DejaVu Sans font ({path} not found): install the Debian package fonts-dejavu-core (./barrio up does).");
        return SKTypeface.FromFile(path) ?? throw new FontsMissingException($"{path} is not a font Skia can read.");
    }
}

/// <summary>The fonts the printed kit needs are not installed.</summary>
public sealed class FontsMissingException(string message) : Exception(message);
