using System.Globalization;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>
/// How a patrol unit moves and how many officers it takes. The usual crews: foot pair 2, bicycle 1 or 2, motorcycle 2,
/// car 2 or 3; <see cref="StaffingCalculator.Compute"/> refuses other crew sizes for these four names. Any other name is
/// accepted with a crew of at least 1.
/// </summary>
public sealed record PatrolMode(string Name, int CrewSize)
{
    public static PatrolMode FootPair => new("foot", 2);
    public static PatrolMode Bicycle(int crew = 2) => new("bike", crew);
    public static PatrolMode Motorcycle => new("moto", 2);
    public static PatrolMode Car(int crew = 2) => new("car", crew);

    internal static readonly IReadOnlyDictionary<string, int[]> KnownCrews = new Dictionary<string, int[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["foot"] = [2], ["bike"] = [1, 2], ["moto"] = [2], ["car"] = [2, 3],
    };

    internal string Describe() => Name.ToLowerInvariant() switch
    {
        "foot" => $"foot pairs of {CrewSize}",
        "bike" => $"bicycle units of {CrewSize}",
        "moto" => $"motorcycle units of {CrewSize}",
        "car" => $"car crews of {CrewSize}",
        _ => $"{Name} units of {CrewSize}",
    };
}

/// <summary>
/// One shift of the day. <paramref name="Officers"/> is how many officers are assigned to it; 0 means "an even share of
/// the roster" (then every shift of the plan must say 0).
/// </summary>
public sealed record ShiftPlan(string Name, double Hours, int Officers = 0);

/// <summary>
/// The contingent of a neighbourhood: officers assigned, the shifts they cover, the share of them available on a given
/// day (leave, sickness, administrative duty take the rest), the patrol mode, and joint units (serenazgo) added to every
/// shift. <see cref="FixedSectors"/> lets a chief fix the number of sectors instead of deriving it.
/// </summary>
public sealed record ContingentPlan(int Officers, IReadOnlyList<ShiftPlan> Shifts, double Availability, PatrolMode Mode, int JointUnits = 0)
{
    /// <summary>A number of sectors chosen by the chief; the staffing then says which shifts cannot staff them all.</summary>
    public int? FixedSectors { get; init; }
}

/// <summary>Officers on duty and units per shift, the number of sectors, and the arithmetic in sentences a chief can check.</summary>
public sealed record Staffing(
    IReadOnlyList<(string Shift, int OfficersOnDuty, int Units)> PerShift,
    int SectorsPerShift,
    IReadOnlyList<Note> Explanation);

/// <summary>
/// From the contingent to the number of patrol sectors: officers × availability = roster; the roster split over the
/// shifts (or each shift's own officers × availability); units = officers on duty ÷ crew size, rounded down, plus the
/// joint units; the weakest shift decides how many sectors can be staffed around the clock.
/// </summary>
public static class StaffingCalculator
{
    /// <summary>Units on duty per shift and the number of sectors, with the arithmetic explained.</summary>
    /// <exception cref="ArgumentException">No officers or shifts, availability outside (0, 1], a crew size the mode does not
    /// allow, negative joint units, shifts that mix explicit and shared officers, or more officers in the shifts than assigned.</exception>
    public static Staffing Compute(ContingentPlan plan)
    {
        Validate(plan);
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<Note>();
        var shifts = plan.Shifts;
        var explicitOfficers = shifts[0].Officers > 0;
        int[] onDuty;
        var sameHours = shifts.Select(s => s.Hours).Distinct().Count() == 1;
        var shiftHours = shifts.Select(s => $"{s.Name} {s.Hours.ToString("0.#", ci)} h").ToList();
        if (!explicitOfficers)
        {
            var roster = FloorOf(plan.Officers * plan.Availability);
            onDuty = shifts.Select((_, i) => roster / shifts.Count + (i < roster % shifts.Count ? 1 : 0)).ToArray();
            lines.Add(plan.Availability < 1
                ? Note.Of("staffing.roster", ("officers", plan.Officers), ("availability", plan.Availability), ("roster", roster))
                : Note.Of("staffing.roster_all", ("officers", plan.Officers), ("roster", roster)));
            lines.Add(sameHours
                ? Note.Of("staffing.on_duty", ("count", shifts.Count), ("hours", shifts[0].Hours), ("onDuty", onDuty))
                : Note.Of("staffing.on_duty_hours", ("count", shifts.Count), ("shifts", shiftHours), ("onDuty", onDuty)));
        }
        else
        {
            onDuty = shifts.Select(s => FloorOf(s.Officers * plan.Availability)).ToArray();
            var assigned = shifts.Sum(s => s.Officers);
            var perShiftOfficers = shifts.Select(s => s.Officers).ToArray();
            lines.Add(sameHours
                ? Note.Of("staffing.assigned", ("officers", plan.Officers), ("assigned", assigned), ("count", shifts.Count), ("hours", shifts[0].Hours), ("perShift", perShiftOfficers))
                : Note.Of("staffing.assigned_hours", ("officers", plan.Officers), ("assigned", assigned), ("count", shifts.Count), ("shifts", shiftHours), ("perShift", perShiftOfficers)));
            if (assigned < plan.Officers) lines.Add(Note.Of("staffing.other_duties", ("count", plan.Officers - assigned)));
            lines.Add(plan.Availability < 1
                ? Note.Of("staffing.available_rounded", ("availability", plan.Availability), ("onDuty", onDuty))
                : Note.Of("staffing.available_all", ("onDuty", onDuty)));
        }

        var crew = plan.Mode.CrewSize;
        var police = onDuty.Select(o => o / crew).ToArray();
        lines.Add(Note.Of("staffing.units", ("mode", plan.Mode.Name.ToLowerInvariant()), ("crew", crew), ("units", police)));
        var spare = onDuty.Select(o => o % crew).ToArray();
        if (spare.Any(s => s > 0))
            lines.Add(Note.Of("staffing.spare", ("spare", spare)));
        var units = police.Select(u => u + plan.JointUnits).ToArray();
        if (plan.JointUnits > 0)
            lines.Add(Note.Of("staffing.joint", ("joint", plan.JointUnits), ("units", units)));

        var weakest = units.Min();
        var weakestShift = shifts[Array.IndexOf(units, weakest)].Name;
        int sectors;
        if (plan.FixedSectors is { } fixedSectors)
        {
            sectors = fixedSectors;
            var shortOf = shifts.Select((s, i) => (s.Name, Short: fixedSectors - units[i])).Where(x => x.Short > 0).ToList();
            if (shortOf.Count == 0) lines.Add(Note.Of("staffing.fixed_ok", ("sectors", fixedSectors), ("shift", weakestShift), ("units", weakest)));
            // One line per shift that falls short.
            foreach (var x in shortOf) lines.Add(Note.Of("staffing.fixed_short", ("sectors", fixedSectors), ("shift", x.Name), ("short", x.Short)));
        }
        else
        {
            sectors = weakest;
            lines.Add(weakest == 0
                ? Note.Of("staffing.no_unit", ("shift", weakestShift))
                : units.Distinct().Count() == 1
                    ? Note.Of("staffing.every_shift", ("sectors", weakest))
                    : Note.Of("staffing.weakest", ("shift", weakestShift), ("sectors", weakest)));
        }
        var hoursTotal = shifts.Sum(s => s.Hours);
        if (Math.Abs(hoursTotal - 24) > 1e-9)
            lines.Add(Note.Of("staffing.hours_not_24", ("hours", hoursTotal)));

        var perShift = shifts.Select((s, i) => (s.Name, onDuty[i], units[i])).ToList();
        return new Staffing(perShift, sectors, lines);
    }

    private static void Validate(ContingentPlan plan)
    {
        if (plan.Officers <= 0) throw new RefusalException(Note.Of("staffing.refused_officers", ("officers", plan.Officers)));
        if (plan.Shifts is null || plan.Shifts.Count == 0) throw new RefusalException(Note.Of("staffing.refused_shifts"));
        if (!(plan.Availability > 0 && plan.Availability <= 1))
            throw new RefusalException(Note.Of("staffing.refused_availability", ("availability", plan.Availability)));
        if (plan.Mode is null || plan.Mode.CrewSize < 1) throw new RefusalException(Note.Of("staffing.refused_crew_min"));
        if (PatrolMode.KnownCrews.TryGetValue(plan.Mode.Name, out var allowed) && !allowed.Contains(plan.Mode.CrewSize))
            throw new RefusalException(allowed.Length == 1
                ? Note.Of("staffing.refused_crew", ("mode", plan.Mode.Name), ("allowed", allowed[0]), ("crew", plan.Mode.CrewSize))
                : Note.Of("staffing.refused_crew_two", ("mode", plan.Mode.Name), ("low", allowed[0]), ("high", allowed[^1]), ("crew", plan.Mode.CrewSize)));
        if (plan.JointUnits < 0) throw new RefusalException(Note.Of("staffing.refused_joint", ("joint", plan.JointUnits)));
        if (plan.FixedSectors is < 1) throw new RefusalException(Note.Of("staffing.refused_fixed", ("sectors", plan.FixedSectors!.Value)));
        foreach (var s in plan.Shifts)
        {
            if (!(s.Hours > 0 && s.Hours <= 24)) throw new RefusalException(Note.Of("staffing.refused_hours", ("shift", s.Name), ("hours", s.Hours)));
            if (s.Officers < 0) throw new RefusalException(Note.Of("staffing.refused_shift_officers", ("shift", s.Name), ("officers", s.Officers)));
        }
        var explicitCount = plan.Shifts.Count(s => s.Officers > 0);
        if (explicitCount != 0 && explicitCount != plan.Shifts.Count)
            throw new RefusalException(Note.Of("staffing.refused_mixed"));
        var assigned = plan.Shifts.Sum(s => s.Officers);
        if (assigned > plan.Officers)
            throw new RefusalException(Note.Of("staffing.refused_assigned", ("assigned", assigned), ("officers", plan.Officers)));
    }

    private static int FloorOf(double x) => (int)Math.Floor(x + 1e-9);

}
