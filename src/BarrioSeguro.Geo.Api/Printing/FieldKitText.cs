using System.Globalization;

namespace BarrioSeguro.Geo.Api.Printing;

/// <summary>The words of the field kit in one language (Spanish of Peru by default, English), and how numbers read.</summary>
public sealed record FieldKitText(
    string Language, CultureInfo Culture, string Title, string Subtitle, string Plan, string ShiftLabel, string Printed, string Staffing,
    string PlanFigures, string MaxDeviation, string Contiguity, string PolsbyPopper, string Yes, string No, string Sector, string Route,
    string Length, string Duration, string Deadhead, string StreetsCovered, string Stops, string Arrive, string Notes, string NoRoute,
    string ScanGpx, string North, string Legend, string Streets, string Outline, string Hotspot, string Page, string Footer,
    string Overview, string Minutes, string FromStart, string Sectors)
{
    public static readonly FieldKitText Spanish = new(
        "es", CultureInfo.GetCultureInfo("es-PE"), "Kit de campo de patrullaje", "Estrategia Multisectorial Barrio Seguro", "Plan",
        "Turno", "Impreso", "Dotación", "Cifras del plan", "Desviación máx. de carga", "Contigüidad", "Polsby-Popper medio", "Sí", "No",
        "Sector", "Ruta", "Longitud", "Duración", "Ida en vacío", "Calles cubiertas", "Paradas", "llegada", "Notas",
        "Sin ruta calculada para este turno", "Escanee para cargar la ruta GPX en el teléfono", "N", "Leyenda", "Calles",
        "Límite del sector", "Punto caliente (parada)", "Página", "Barrio Seguro · Uso policial · Sin conexión", "Vista general",
        "min", "desde el inicio del turno", "Sectores");

    public static readonly FieldKitText English = new(
        "en", CultureInfo.GetCultureInfo("en-GB"), "Patrol field kit", "Barrio Seguro multisector strategy", "Plan",
        "Shift", "Printed", "Staffing", "Plan figures", "Max. workload deviation", "Contiguity", "Mean Polsby-Popper", "Yes", "No",
        "Sector", "Route", "Length", "Duration", "Deadhead", "Streets covered", "Stops", "arrive", "Notes",
        "No route computed for this shift", "Scan to load the GPX route on a phone", "N", "Legend", "Streets",
        "Sector boundary", "Hot spot (stop)", "Page", "Barrio Seguro · Police use · Works offline", "Overview",
        "min", "from the start of the shift", "Sectors");

    /// <summary>The texts for a language code: "en" gives English, anything else Spanish.</summary>
    public static FieldKitText For(string? lang) =>
        string.Equals(lang?.Trim(), "en", StringComparison.OrdinalIgnoreCase) ? English : Spanish;

    /// <summary>A number with a fixed count of decimals, in the kit's culture.</summary>
    public string Number(double value, int decimals) => value.ToString("N" + decimals, Culture);

    /// <summary>Minutes as "h:mm".</summary>
    public static string Clock(double minutes)
    {
        var m = (int)Math.Round(minutes);
        return $"{m / 60}:{m % 60:00}";
    }
}
