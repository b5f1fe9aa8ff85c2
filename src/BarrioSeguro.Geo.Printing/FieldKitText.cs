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
    /// <summary>The heading of the stop list, saying the times are Lima clock times.</summary>
    public required string StopsHeading { get; init; }
    public required string Mode { get; init; }
    public required string ModeFoot { get; init; }
    public required string ModeBike { get; init; }
    public required string ModeMoto { get; init; }
    public required string ModeCar { get; init; }
    /// <summary>The heading of the street-by-street list.</summary>
    public required string StreetByStreet { get; init; }
    public required string Start { get; init; }
    public required string Unnamed { get; init; }
    public required string Continued { get; init; }
    /// <summary>Where the attached GPX is, followed by its file name.</summary>
    public required string AttachedGpx { get; init; }
    /// <summary>Printed instead of the QR code when no public address of the service is set.</summary>
    public required string NoPublicAddress { get; init; }
    /// <summary>"{0}: {1} officers on duty, {2} units"; {0} the shift.</summary>
    public required string StaffingPattern { get; init; }
    /// <summary>"Sectors per shift: {0}".</summary>
    public required string SectorsPerShiftPattern { get; init; }
    public required string LimaClock { get; init; }
    public required string Calendar { get; init; }
    public required string Day { get; init; }
    public required string PatrolTime { get; init; }
    public required string RulesMissed { get; init; }
    /// <summary>"kept: {0}; missed: {1}{2} by {3} min ({4} of {5} min)"; {2} the hot spot, if any.</summary>
    public required string RuleMissPattern { get; init; }
    public required string RulePatrolTime { get; init; }
    public required string RuleHotspotInterval { get; init; }
    /// <summary>"{0}: {1} days × {2} shifts"; {0} is <see cref="Calendar"/>.</summary>
    public required string CalendarTitlePattern { get; init; }
    /// <summary>"Day {0}".</summary>
    public required string DayPattern { get; init; }
    /// <summary>A cell line: "{0} · {1} km · +{2} km · {3} %" (sector, route length, new streets, share walked by then).</summary>
    public required string CalendarCellPattern { get; init; }
    public required string CalendarLegend { get; init; }
    /// <summary>"{0} ({1}): a full pass takes {2}"; {2} the passes per mode.</summary>
    public required string CyclePassPattern { get; init; }
    /// <summary>"{0} shifts {1}" (count, mode in words).</summary>
    public required string PassPattern { get; init; }
    /// <summary>"1 shift {1}": <see cref="PassPattern"/> for one shift.</summary>
    public required string PassOnePattern { get; init; }
    /// <summary>"not possible {0}" (mode in words): streets out of reach.</summary>
    public required string NoPassPattern { get; init; }
    /// <summary>"the cycle walks {0} % of {1} km reachable, {2} % deadhead".</summary>
    public required string CycleCoveredPattern { get; init; }
    /// <summary>"NOT covered within the cycle with its units: {0} % of {1} km reachable".</summary>
    public required string CycleNotCoveredPattern { get; init; }
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
        StopsHeading = "Paradas (llegada, hora de Lima)",
        Mode = "Modo",
        ModeFoot = "a pie",
        ModeBike = "en bicicleta",
        ModeMoto = "en moto",
        ModeCar = "en auto",
        StreetByStreet = "Recorrido calle por calle",
        Start = "Inicio",
        Unnamed = "calle sin nombre",
        Continued = "continuación",
        AttachedGpx = "GPX adjunto en este PDF (sin conexión):",
        NoPublicAddress = "Sin código QR: la dirección pública del servicio no está configurada (Barrio:PublicBaseUrl). Use el GPX adjunto en este PDF.",
        StaffingPattern = "Turno {0}: {1} efectivos de servicio, {2} unidades",
        SectorsPerShiftPattern = "Sectores por turno: {0}",
        LimaClock = "hora de Lima",
        Calendar = "Calendario del ciclo",
        Day = "Día",
        PatrolTime = "Tiempo de patrullaje",
        RulesMissed = "Reglas que la ruta no pudo cumplir a la vez",
        RuleMissPattern = "se mantuvo: {0}; no se cumplió: {1}{2}, por {3} min ({4} de {5} min)",
        RulePatrolTime = "el tiempo de patrullaje del turno",
        RuleHotspotInterval = "una visita cada 2 h al punto caliente",
        CalendarTitlePattern = "{0}: {1} días × {2} turnos",
        DayPattern = "Día {0}",
        CalendarCellPattern = "{0} · {1} km · +{2} km · {3} %",
        CalendarLegend = "En cada celda: sector · longitud de la ruta · calles recorridas por primera vez en el ciclo (+km) · calles del sector recorridas al terminar el turno (%).",
        CyclePassPattern = "{0} ({1}): una pasada completa toma {2}",
        PassPattern = "{0} turnos {1}",
        PassOnePattern = "1 turno {1}",
        NoPassPattern = "imposible {0}",
        CycleCoveredPattern = "el ciclo recorre el {0} % de {1} km alcanzables, con {2} % de ida en vacío",
        CycleNotCoveredPattern = "NO se cubre en el ciclo con las unidades que tiene: {0} % de {1} km alcanzables",
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
        StopsHeading = "Stops (arrival, Lima time)",
        Mode = "Mode",
        ModeFoot = "on foot",
        ModeBike = "by bicycle",
        ModeMoto = "by motorcycle",
        ModeCar = "by car",
        StreetByStreet = "Street by street",
        Start = "Start",
        Unnamed = "unnamed street",
        Continued = "continued",
        AttachedGpx = "GPX attached to this PDF (works offline):",
        NoPublicAddress = "No QR code: the service's public address is not set (Barrio:PublicBaseUrl). Use the GPX attached to this PDF.",
        StaffingPattern = "{0} shift: {1} officers on duty, {2} units",
        SectorsPerShiftPattern = "Sectors per shift: {0}",
        LimaClock = "Lima time",
        Calendar = "Cycle calendar",
        Day = "Day",
        PatrolTime = "Patrol time",
        RulesMissed = "Rules the route could not keep together",
        RuleMissPattern = "kept: {0}; missed: {1}{2}, by {3} min ({4} of {5} min)",
        RulePatrolTime = "the shift's patrol time",
        RuleHotspotInterval = "a visit every 2 h to the hot spot",
        CalendarTitlePattern = "{0}: {1} days × {2} shifts",
        DayPattern = "Day {0}",
        CalendarCellPattern = "{0} · {1} km · +{2} km · {3} %",
        CalendarLegend = "In each cell: sector · route length · streets walked for the first time in the cycle (+km) · sector streets walked by the end of the shift (%).",
        CyclePassPattern = "{0} ({1}): a full pass takes {2}",
        PassPattern = "{0} shifts {1}",
        PassOnePattern = "1 shift {1}",
        NoPassPattern = "not possible {0}",
        CycleCoveredPattern = "the cycle walks {0} % of {1} km reachable, with {2} % deadhead",
        CycleNotCoveredPattern = "NOT covered within the cycle with its units: {0} % of {1} km reachable",
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

    /// <summary>The date and the clock time, e.g. "1 de diciembre de 2026, 06:15 (hora de Lima)"; the time is taken as given.</summary>
    public string DateAndClock(DateTimeOffset when) =>
        $"{Date(when)}, {when.ToString("HH:mm", CultureInfo.InvariantCulture)} ({LimaClock})";

    /// <summary>A travel mode code (foot, bike, moto, car) in words; an unknown code as it is.</summary>
    public string ModeName(string mode) => mode.ToLowerInvariant() switch
    {
        "foot" => ModeFoot, "bike" => ModeBike, "moto" => ModeMoto, "car" => ModeCar, _ => mode,
    };

    public string StaffingLine(string shift, int officersOnDuty, int units) =>
        string.Format(Culture, StaffingPattern, shift, officersOnDuty, units);

    public string SectorsPerShiftLine(int sectors) => string.Format(Culture, SectorsPerShiftPattern, sectors);

    /// <summary>A stretch of the route: "Jr. Los Álamos → Av. Pachacútec, 350 m" (the first: "Inicio: ...").</summary>
    public string Leg(StreetLeg leg)
    {
        var street = leg.Street ?? Unnamed;
        var from = leg.First ? Start : leg.From ?? Unnamed;
        return leg.First ? $"{from}: {street}, {Metres(leg.Metres)}" : $"{from} → {street}, {Metres(leg.Metres)}";
    }

    /// <summary>A length in metres: whole metres under 100 m, tens of metres above ("350 m", "1.250 m").</summary>
    public string Metres(double metres)
    {
        var rounded = metres < 100 ? Math.Round(metres) : Math.Round(metres / 10) * 10;
        return $"{rounded.ToString("N0", Culture)} m";
    }

    /// <summary>A rule code of a route report (patrol-time, hotspot-interval) in words; an unknown code as it is.</summary>
    public string RuleName(string code) => code switch
    {
        "patrol-time" => RulePatrolTime, "hotspot-interval" => RuleHotspotInterval, _ => code,
    };

    /// <summary>Fills one of the patterns above in the kit's culture.</summary>
    public string Format(string pattern, params object[] args) => string.Format(Culture, pattern, args);

    /// <summary>Minutes as "h:mm".</summary>
    public static string Clock(double minutes)
    {
        var m = (int)Math.Round(minutes);
        return $"{m / 60}:{m % 60:00}";
    }
}
