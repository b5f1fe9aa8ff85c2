using System.Globalization;

namespace BarrioSeguro.Geo.Core.Network;

/// <summary>
/// Travel speed in km/h per <see cref="TravelMode"/> and OSM <c>highway</c> class; a class a mode may not use has no
/// speed (<see cref="SpeedKmh"/> returns null) and its streets are left out of that mode's graph.
/// <para>Defaults (<see cref="Default"/>):</para>
/// <list type="bullet">
/// <item>foot: 5 km/h on every walkable class (footway, path, pedestrian, steps, living_street, residential,
/// service, track, cycleway, all roads up to trunk and their links); never on motorway or motorway_link.</item>
/// <item>bike: 16 km/h on roads, cycleway and living streets; not on footway, steps, path, pedestrian, motorway
/// (add an override when a footway is designated for bicycles).</item>
/// <item>moto and car, by class with urban caps: motorway 60, trunk 50, primary 40, secondary 35, tertiary 30,
/// unclassified 25, residential 25, road 25, service 15, track 10, living_street 10, links as their road;
/// never on footway, path, steps, pedestrian, cycleway, bridleway, corridor.</item>
/// </list>
/// Unknown classes: foot walks them at 5 km/h, bike rides 16, moto and car drive them as unclassified (25).
/// </summary>
public sealed class SpeedTable
{
    private static readonly string[] NoVehicles = ["footway", "path", "steps", "pedestrian", "cycleway", "bridleway", "corridor", "platform", "elevator"];
    private static readonly string[] NoBikes = ["footway", "path", "steps", "pedestrian", "bridleway", "corridor", "platform", "elevator", "motorway", "motorway_link"];
    private static readonly string[] NoFeet = ["motorway", "motorway_link"];

    private static readonly Dictionary<string, double> Driving = new(StringComparer.OrdinalIgnoreCase)
    {
        ["motorway"] = 60, ["motorway_link"] = 60, ["trunk"] = 50, ["trunk_link"] = 50,
        ["primary"] = 40, ["primary_link"] = 40, ["secondary"] = 35, ["secondary_link"] = 35,
        ["tertiary"] = 30, ["tertiary_link"] = 30, ["unclassified"] = 25, ["residential"] = 25, ["road"] = 25,
        ["service"] = 15, ["track"] = 10, ["living_street"] = 10,
    };

    private readonly Dictionary<(TravelMode, string), double?> _overrides = new();

    /// <summary>The documented defaults, no overrides.</summary>
    public static SpeedTable Default { get; } = new();

    /// <summary>
    /// A table with the defaults and these overrides: (mode, class) → km/h, or null to forbid the class for the mode.
    /// </summary>
    /// <exception cref="ArgumentException">A speed that is zero, negative or not a number; the message names the mode and class.</exception>
    public SpeedTable(IEnumerable<KeyValuePair<(TravelMode Mode, string Class), double?>>? overrides = null)
    {
        foreach (var (key, kmh) in overrides ?? [])
        {
            if (kmh is { } v && !(v > 0 && !double.IsInfinity(v)))
                throw new BarrioSeguro.Geo.Core.Notes.RefusalException(BarrioSeguro.Geo.Core.Notes.Note.Of("network.refused_speed",
                    ("mode", key.Mode.Name()), ("class", key.Class), ("speed", v.ToString(CultureInfo.InvariantCulture))), nameof(overrides));
            _overrides[(key.Mode, key.Class.Trim().ToLowerInvariant())] = kmh;
        }
    }

    /// <summary>A copy of this table with one more override (null forbids the class for the mode).</summary>
    /// <exception cref="ArgumentException">A zero, negative or non-finite speed; the message names the mode and class.</exception>
    public SpeedTable With(TravelMode mode, string highwayClass, double? kmh) =>
        new(_overrides.Select(kv => KeyValuePair.Create(kv.Key, kv.Value)).Append(KeyValuePair.Create((mode, highwayClass), kmh)));

    /// <summary>The speed of a mode on a class in km/h, or null when the mode may not use the class.</summary>
    public double? SpeedKmh(TravelMode mode, string? highwayClass)
    {
        var c = (highwayClass ?? "").Trim().ToLowerInvariant();
        if (_overrides.TryGetValue((mode, c), out var o)) return o;
        return mode switch
        {
            TravelMode.Foot => NoFeet.Contains(c) ? null : 5,
            TravelMode.Bike => NoBikes.Contains(c) ? null : 16,
            TravelMode.Moto or TravelMode.Car => NoVehicles.Contains(c) ? null : Driving.GetValueOrDefault(c, 25),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown travel mode"),
        };
    }
}
