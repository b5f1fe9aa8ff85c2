using System.Globalization;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Core.Spatial;

namespace BarrioSeguro.Geo.Core.Entries;

/// <summary>
/// What a contingent, station, hot spot or incident entered by hand must hold. Each refusal is a
/// <see cref="RefusalException"/> naming the member (its JSON name) and the reason as a note, so the API and the viewer
/// say it in the reader's language next to the field.
/// </summary>
public static class EntryRules
{
    public const int MaxOfficers = 10_000;
    public const int MaxShifts = 24;
    public const int MaxJointUnits = 1_000;
    public const int CategoryLength = 100;

    /// <summary>The oldest incident date taken (older ones are almost always a typing mistake).</summary>
    public static readonly DateTimeOffset OldestIncident = new(1990, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5));

    public static readonly IReadOnlyList<string> Modes = ["foot", "bike", "moto", "car"];

    /// <exception cref="RefusalException">The first member that cannot be kept, and why.</exception>
    public static void Check(Contingent c)
    {
        Text(c.Name, "name", InputLimits.NameLength, required: true);
        Range(c.Officers, 1, MaxOfficers, "officers");
        Range(c.Shifts, 1, MaxShifts, "shifts");
        if (!(c.Availability > 0 && c.Availability <= 1))
            throw new RefusalException(Note.Of("entry.availability", ("value", double.IsFinite(c.Availability) ? c.Availability * 100 : -1)), "availability");
        if (!Modes.Contains(c.Mode))
            throw new RefusalException(Note.Of("entry.not_one_of", ("field", "mode"), ("value", c.Mode ?? ""), ("allowed", Modes)), "mode");
        var crews = PatrolMode.KnownCrews[c.Mode];
        if (!crews.Contains(c.CrewSize))
            throw new RefusalException(Note.Of("entry.crew_for_mode", ("crew", c.CrewSize), ("mode", c.Mode),
                ("allowed", crews.Select(x => x.ToString(CultureInfo.InvariantCulture)).ToArray())), "crewSize");
        Range(c.JointUnits, 0, MaxJointUnits, "jointUnits");
        // The weakest shift must field one unit at least, or no sector can be staffed at all.
        var roster = (int)Math.Floor(c.Officers * c.Availability + 1e-9);
        var units = roster / c.Shifts / c.CrewSize + c.JointUnits;
        if (units < 1)
            throw new RefusalException(Note.Of("entry.no_unit", ("officers", roster / c.Shifts), ("crew", c.CrewSize)), "officers");
    }

    /// <exception cref="RefusalException">A name missing or too long, or a place outside Peru.</exception>
    public static void Check(Station s)
    {
        Text(s.Name, "name", InputLimits.NameLength, required: true);
        Text(s.Operator, "operator", InputLimits.NameLength, required: false);
        Place(s.Location.X, s.Location.Y);
    }

    /// <exception cref="RefusalException">A name missing or too long, a description too long, or a place outside Peru.</exception>
    public static void Check(HotSpot h)
    {
        Text(h.Name, "name", InputLimits.NameLength, required: true);
        Text(h.Description, "description", InputLimits.DescriptionLength, required: false);
        Place(h.Location.X, h.Location.Y);
    }

    /// <exception cref="RefusalException">No category, a date in the future or before 1990, or a place outside Peru.</exception>
    public static void Check(Incident i, DateTimeOffset now)
    {
        Text(i.Category, "category", CategoryLength, required: true);
        When(i.OccurredAt, now, "occurredAt");
        Place(i.Location.X, i.Location.Y);
    }

    /// <summary>A date and time of an incident: not in the future (an hour of clock difference allowed), not before 1990.</summary>
    public static void When(DateTimeOffset at, DateTimeOffset now, string field)
    {
        var lima = TimeSpan.FromHours(-5);
        var said = at.ToOffset(lima).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (at > now.AddHours(1)) throw new RefusalException(Note.Of("entry.future", ("field", field), ("value", said)), field);
        if (at < OldestIncident) throw new RefusalException(Note.Of("entry.too_old", ("field", field), ("value", said)), field);
    }

    /// <summary>Longitude and latitude (EPSG:4326) that are numbers inside Peru.</summary>
    public static void Place(double lon, double lat)
    {
        var peru = InputGeometryCheck.PeruExtent;
        if (!double.IsFinite(lon) || lon < peru.MinX || lon > peru.MaxX)
            throw new RefusalException(Note.Of("entry.outside_peru", ("field", "lon"), ("lon", Finite(lon)), ("lat", Finite(lat))), "lon");
        if (!double.IsFinite(lat) || lat < peru.MinY || lat > peru.MaxY)
            throw new RefusalException(Note.Of("entry.outside_peru", ("field", "lat"), ("lon", Finite(lon)), ("lat", Finite(lat))), "lat");
    }

    public static void Text(string? value, string field, int max, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(value)) throw new RefusalException(Note.Of("entry.required", ("field", field)), field);
        if (value is not null && value.Length > max)
            throw new RefusalException(Note.Of("entry.too_long", ("field", field), ("length", value.Length), ("max", max)), field);
    }

    public static void Range(int value, int min, int max, string field)
    {
        if (value < min || value > max)
            throw new RefusalException(Note.Of("entry.out_of_range", ("field", field), ("value", value), ("min", min), ("max", max)), field);
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
