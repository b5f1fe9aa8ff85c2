using System.Globalization;

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
    IReadOnlyList<string> Explanation);

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
        var lines = new List<string>();
        var shifts = plan.Shifts;
        var explicitOfficers = shifts[0].Officers > 0;
        int[] onDuty;
        var hours = string.Join(", ", shifts.Select(s => s.Hours.ToString("0.#", ci)).Distinct());
        var shiftWords = shifts.Select(s => s.Hours).Distinct().Count() == 1
            ? $"{shifts.Count} shift{(shifts.Count == 1 ? "" : "s")} of {hours} h"
            : $"{shifts.Count} shifts ({string.Join(", ", shifts.Select(s => $"{s.Name} {s.Hours.ToString("0.#", ci)} h"))})";
        if (!explicitOfficers)
        {
            var roster = FloorOf(plan.Officers * plan.Availability);
            onDuty = shifts.Select((_, i) => roster / shifts.Count + (i < roster % shifts.Count ? 1 : 0)).ToArray();
            lines.Add(plan.Availability < 1
                ? $"{plan.Officers} officers × {plan.Availability.ToString("0.##", ci)} availability = {roster} on the roster"
                : $"{plan.Officers} officers, all available: {roster} on the roster");
            lines.Add($"{shiftWords}: {List(onDuty)} on duty");
        }
        else
        {
            onDuty = shifts.Select(s => FloorOf(s.Officers * plan.Availability)).ToArray();
            var assigned = shifts.Sum(s => s.Officers);
            lines.Add($"{plan.Officers} officers, {assigned} assigned to {shiftWords}: {List(shifts.Select(s => s.Officers).ToArray())}"
                      + (assigned < plan.Officers ? $" ({plan.Officers - assigned} on other duties)" : ""));
            lines.Add(plan.Availability < 1
                ? $"× {plan.Availability.ToString("0.##", ci)} availability, rounded down: {List(onDuty)} on duty"
                : $"all available: {List(onDuty)} on duty");
        }

        var crew = plan.Mode.CrewSize;
        var police = onDuty.Select(o => o / crew).ToArray();
        lines.Add($"{plan.Mode.Describe()}: {List(police)} units");
        var spare = onDuty.Select(o => o % crew).ToArray();
        if (spare.Any(s => s > 0))
            lines.Add($"officers left without a full crew (they can reinforce a unit or stay at the station): {List(spare)}");
        var units = police.Select(u => u + plan.JointUnits).ToArray();
        if (plan.JointUnits > 0)
            lines.Add($"+ {plan.JointUnits} serenazgo unit{(plan.JointUnits == 1 ? "" : "s")} each: {List(units)} units");

        var weakest = units.Min();
        var weakestShift = shifts[Array.IndexOf(units, weakest)].Name;
        int sectors;
        if (plan.FixedSectors is { } fixedSectors)
        {
            sectors = fixedSectors;
            var shortOf = shifts.Select((s, i) => (s.Name, Short: fixedSectors - units[i])).Where(x => x.Short > 0).ToList();
            lines.Add(shortOf.Count == 0
                ? $"the chief fixed {fixedSectors} sectors: every shift can staff them (the weakest, {weakestShift}, has {weakest} units)"
                : $"the chief fixed {fixedSectors} sectors: " + string.Join("; ", shortOf.Select(x =>
                    $"the {x.Name} shift is {x.Short} unit{(x.Short == 1 ? "" : "s")} short, so {x.Short} sector{(x.Short == 1 ? " goes" : "s go")} unpatrolled in it")));
        }
        else
        {
            sectors = weakest;
            lines.Add(weakest == 0
                ? $"the {weakestShift} shift has no unit: not one sector can be staffed around the clock"
                : units.Distinct().Count() == 1
                    ? $"every shift staffs {weakest} sector{(weakest == 1 ? "" : "s")}"
                    : $"the weakest shift ({weakestShift}) staffs {weakest} sector{(weakest == 1 ? "" : "s")}, so {weakest} sector{(weakest == 1 ? "" : "s")} per shift");
        }
        var hoursTotal = shifts.Sum(s => s.Hours);
        if (Math.Abs(hoursTotal - 24) > 1e-9)
            lines.Add($"note: the shifts cover {hoursTotal.ToString("0.#", ci)} h, not 24 h");

        var perShift = shifts.Select((s, i) => (s.Name, onDuty[i], units[i])).ToList();
        return new Staffing(perShift, sectors, lines);
    }

    private static void Validate(ContingentPlan plan)
    {
        if (plan.Officers <= 0) throw new ArgumentException($"The contingent needs at least one officer (got {plan.Officers}).");
        if (plan.Shifts is null || plan.Shifts.Count == 0) throw new ArgumentException("Give at least one shift.");
        if (!(plan.Availability > 0 && plan.Availability <= 1))
            throw new ArgumentException($"Availability is the share of officers available, between 0 and 1 (got {plan.Availability}).");
        if (plan.Mode is null || plan.Mode.CrewSize < 1) throw new ArgumentException("A patrol mode needs a crew of at least 1.");
        if (PatrolMode.KnownCrews.TryGetValue(plan.Mode.Name, out var allowed) && !allowed.Contains(plan.Mode.CrewSize))
            throw new ArgumentException($"A {plan.Mode.Name} unit has a crew of {string.Join(" or ", allowed)}, not {plan.Mode.CrewSize}.");
        if (plan.JointUnits < 0) throw new ArgumentException($"Joint units cannot be negative (got {plan.JointUnits}).");
        if (plan.FixedSectors is < 1) throw new ArgumentException($"A fixed number of sectors must be at least 1 (got {plan.FixedSectors}).");
        foreach (var s in plan.Shifts)
        {
            if (!(s.Hours > 0 && s.Hours <= 24)) throw new ArgumentException($"Shift '{s.Name}' lasts {s.Hours} h: give 0 to 24 h.");
            if (s.Officers < 0) throw new ArgumentException($"Shift '{s.Name}' has {s.Officers} officers.");
        }
        var explicitCount = plan.Shifts.Count(s => s.Officers > 0);
        if (explicitCount != 0 && explicitCount != plan.Shifts.Count)
            throw new ArgumentException("Either every shift names its officers or none does (0 shares the roster evenly).");
        var assigned = plan.Shifts.Sum(s => s.Officers);
        if (assigned > plan.Officers)
            throw new ArgumentException($"The shifts have {assigned} officers but the contingent has {plan.Officers}.");
    }

    private static int FloorOf(double x) => (int)Math.Floor(x + 1e-9);

    private static string List(int[] values) => values.Length switch
    {
        1 => values[0].ToString(CultureInfo.InvariantCulture),
        _ => string.Join(", ", values[..^1]) + " and " + values[^1],
    };
}
