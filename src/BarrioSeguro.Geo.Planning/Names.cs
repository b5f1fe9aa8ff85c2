using System.Globalization;

namespace BarrioSeguro.Geo.Planning;

/// <summary>How a sector is named to people: sector 0 is "S1".</summary>
public static class SectorLabel
{
    public static string Of(int sector) => $"S{sector + 1}";

    /// <summary>The sector number of a label "S1" (0), or null when it is not one.</summary>
    public static int? Parse(string? label) =>
        label is { Length: > 1 } && (label[0] is 'S' or 's')
        && int.TryParse(label.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n - 1 : null;
}

/// <summary>One shift of the day: its code (what is stored, sent and put in route names) and its display names.</summary>
public sealed record ShiftName(string Code, string Spanish, string English)
{
    public string Display(string? language) => language == "en" ? English : Spanish;
}

/// <summary>
/// The one table of shift names. Codes are Spanish (mañana, tarde, noche; día, noche for two shifts; "turno N"
/// otherwise), as the officers say them and as stored routes and GPX names carry them; English for display only.
/// </summary>
public static class Shifts
{
    public static readonly ShiftName Morning = new("mañana", "mañana", "morning");
    public static readonly ShiftName Afternoon = new("tarde", "tarde", "afternoon");
    public static readonly ShiftName Night = new("noche", "noche", "night");
    public static readonly ShiftName Day = new("día", "día", "day");

    /// <summary>The shift a route is for when nobody says.</summary>
    public static string DefaultCode => Morning.Code;

    /// <summary>The shifts of a day cut in <paramref name="count"/> equal parts.</summary>
    public static IReadOnlyList<ShiftName> Of(int count) => count switch
    {
        3 => [Morning, Afternoon, Night],
        2 => [Day, Night],
        _ => Enumerable.Range(1, Math.Max(count, 1)).Select(i => new ShiftName($"turno {i}", $"turno {i}", $"shift {i}")).ToList(),
    };

    /// <summary>The day cut in <paramref name="count"/> equal shifts, named by the table: what a contingent of N shifts works.</summary>
    public static List<BarrioSeguro.Geo.Core.Sectors.ShiftPlan> Equal(int count) =>
        Of(count).Select(s => new BarrioSeguro.Geo.Core.Sectors.ShiftPlan(s.Code, 24.0 / Math.Max(count, 1))).ToList();

    /// <summary>A known shift by code or by its English name (morning → mañana); else the text as given.</summary>
    public static string Code(string name)
    {
        var trimmed = name.Trim();
        foreach (var s in new[] { Morning, Afternoon, Night, Day })
            if (string.Equals(trimmed, s.Code, StringComparison.OrdinalIgnoreCase) || string.Equals(trimmed, s.English, StringComparison.OrdinalIgnoreCase))
                return s.Code;
        return trimmed;
    }
}

/// <summary>The name of a patrol route: "Sector S1 · turno mañana".</summary>
public static class RouteName
{
    public static string Of(string sectorLabel, string shift) => $"Sector {sectorLabel} · turno {shift}";
}

/// <summary>Lima time: Peru has no daylight saving time, so it is UTC-5 all year.</summary>
public static class LimaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(-5);

    /// <summary>A shift start on a day at a Lima clock time.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly clock) => new(day.ToDateTime(clock), Offset);

    /// <summary>"14:05": the Lima clock time <paramref name="minutes"/> after <paramref name="start"/>.</summary>
    public static string Clock(DateTimeOffset start, double minutes) =>
        start.AddSeconds(Math.Round(minutes * 60)).ToOffset(Offset).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"2025-01-01T06:00:00-05:00".</summary>
    public static string Stamp(DateTimeOffset at) => at.ToOffset(Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Today in Peru.</summary>
    public static DateTimeOffset Now => DateTimeOffset.UtcNow.ToOffset(Offset);
}
