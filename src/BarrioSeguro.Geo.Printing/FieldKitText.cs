using System.Globalization;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Printing;

/// <summary>
/// The words of the field kit in one language (Spanish of Peru by default, English), and how numbers and dates read.
/// One table per language, each word by name, so a missing word is a compile error and not a shifted column.
/// </summary>
public sealed record FieldKitText
{
    public required string Language { get; init; }
    public required CultureInfo Culture { get; init; }
    /// <summary>A .NET date pattern for <see cref="Date"/>.</summary>
    public required string DatePattern { get; init; }
    /// <summary>The stem of the downloaded file's name, e.g. kit_de_campo.</summary>
    public required string FileStem { get; init; }

    public required string Title { get; init; }
    public required string Subtitle { get; init; }
    public required string Plan { get; init; }
    public required string ShiftLabel { get; init; }
    public required string Printed { get; init; }
    public required string Staffing { get; init; }
    public required string PlanFigures { get; init; }
    public required string MaxDeviation { get; init; }
    public required string Contiguity { get; init; }
    public required string PolsbyPopper { get; init; }
    public required string Yes { get; init; }
    public required string No { get; init; }
    public required string Sector { get; init; }
    public required string Sectors { get; init; }
    public required string Overview { get; init; }
    public required string Route { get; init; }
    public required string Length { get; init; }
    public required string Duration { get; init; }
    public required string Deadhead { get; init; }
    public required string StreetsCovered { get; init; }
    public required string Stops { get; init; }
    public required string Arrive { get; init; }
    public required string FromStart { get; init; }
    public required string Minutes { get; init; }
    public required string Notes { get; init; }
    public required string NoRoute { get; init; }
    public required string ScanGpx { get; init; }
    public required string North { get; init; }
    public required string Legend { get; init; }
    public required string Streets { get; init; }
    public required string Outline { get; init; }
    public required string Hotspot { get; init; }
    public required string Page { get; init; }
    public required string Footer { get; init; }

    /// <summary>A note of a report in this language, through the one catalog (notes.json) the viewer and the API use.</summary>
    public string Note(Note note) => note.Text(Language);

    public static readonly FieldKitText Spanish = new()
    {
        Language = "es",
        Culture = CultureInfo.GetCultureInfo("es-PE"),
        DatePattern = "d 'de' MMMM 'de' yyyy",
        FileStem = "kit_de_campo",
        Title = "Kit de campo de patrullaje",
        Subtitle = "Estrategia Multisectorial Barrio Seguro",
        Plan = "Plan",
        ShiftLabel = "Turno",
        Printed = "Impreso",
        Staffing = "Dotación",
        PlanFigures = "Cifras del plan",
        MaxDeviation = "Desviación máx. de carga",
        Contiguity = "Contigüidad",
        PolsbyPopper = "Polsby-Popper medio",
        Yes = "Sí",
        No = "No",
        Sector = "Sector",
        Sectors = "Sectores",
        Overview = "Vista general",
        Route = "Ruta",
        Length = "Longitud",
        Duration = "Duración",
        Deadhead = "Ida en vacío",
        StreetsCovered = "Calles cubiertas",
        Stops = "Paradas",
        Arrive = "llegada",
        FromStart = "desde el inicio del turno",
        Minutes = "min",
        Notes = "Notas",
        NoRoute = "Sin ruta calculada para este turno",
        ScanGpx = "Escanee para cargar la ruta GPX en el teléfono",
        North = "N",
        Legend = "Leyenda",
        Streets = "Calles",
        Outline = "Límite del sector",
        Hotspot = "Punto caliente (parada)",
        Page = "Página",
        Footer = "Barrio Seguro · Uso policial · Sin conexión",
    };

    public static readonly FieldKitText English = new()
    {
        Language = "en",
        Culture = CultureInfo.GetCultureInfo("en-GB"),
        DatePattern = "d MMMM yyyy",
        FileStem = "field_kit",
        Title = "Patrol field kit",
        Subtitle = "Barrio Seguro multisector strategy",
        Plan = "Plan",
        ShiftLabel = "Shift",
        Printed = "Printed",
        Staffing = "Staffing",
        PlanFigures = "Plan figures",
        MaxDeviation = "Max. workload deviation",
        Contiguity = "Contiguity",
        PolsbyPopper = "Mean Polsby-Popper",
        Yes = "Yes",
        No = "No",
        Sector = "Sector",
        Sectors = "Sectors",
        Overview = "Overview",
        Route = "Route",
        Length = "Length",
        Duration = "Duration",
        Deadhead = "Deadhead",
        StreetsCovered = "Streets covered",
        Stops = "Stops",
        Arrive = "arrive",
        FromStart = "from the start of the shift",
        Minutes = "min",
        Notes = "Notes",
        NoRoute = "No route computed for this shift",
        ScanGpx = "Scan to load the GPX route on a phone",
        North = "N",
        Legend = "Legend",
        Streets = "Streets",
        Outline = "Sector boundary",
        Hotspot = "Hot spot (stop)",
        Page = "Page",
        Footer = "Barrio Seguro · Police use · Works offline",
    };

    /// <summary>The languages the kit speaks, by code; the first is the default.</summary>
    public static IReadOnlyList<FieldKitText> All { get; } = [Spanish, English];

    /// <summary>The texts for a language code: "en" gives English, anything else Spanish.</summary>
    public static FieldKitText For(string? lang) =>
        All.FirstOrDefault(t => string.Equals(lang?.Trim(), t.Language, StringComparison.OrdinalIgnoreCase)) ?? Spanish;

    /// <summary>A number with a fixed count of decimals, in the kit's culture.</summary>
    public string Number(double value, int decimals) => value.ToString("N" + decimals, Culture);

    /// <summary>A calendar date written out in the kit's language, e.g. "1 de diciembre de 2026".</summary>
    public string Date(DateTimeOffset when) => when.ToString(DatePattern, Culture);

    /// <summary>Minutes as "h:mm".</summary>
    public static string Clock(double minutes)
    {
        var m = (int)Math.Round(minutes);
        return $"{m / 60}:{m % 60:00}";
    }
}
