namespace BarrioSeguro.Geo.Core.Network;

/// <summary>How a patrol unit moves: on foot, by bicycle, by motorcycle or by car (patrullero).</summary>
public enum TravelMode
{
    Foot,
    Bike,
    Moto,
    Car,
}

/// <summary>Names of <see cref="TravelMode"/> as the command line and reports spell them.</summary>
public static class TravelModes
{
    /// <summary>"foot", "bike", "moto", "car".</summary>
    public static string Name(this TravelMode mode) => mode switch
    {
        TravelMode.Foot => "foot",
        TravelMode.Bike => "bike",
        TravelMode.Moto => "moto",
        TravelMode.Car => "car",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown travel mode"),
    };

    /// <summary>True for the modes that must keep to one-way streets (everything but walking).</summary>
    public static bool IsVehicle(this TravelMode mode) => mode != TravelMode.Foot;

    /// <summary>Reads foot|bike|moto|car (also walk, bicycle, motorcycle), case-insensitive.</summary>
    /// <exception cref="ArgumentException">Any other text; the message lists the modes.</exception>
    public static TravelMode Parse(string text) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "foot" or "walk" or "pie" => TravelMode.Foot,
        "bike" or "bicycle" or "bicicleta" => TravelMode.Bike,
        "moto" or "motorcycle" => TravelMode.Moto,
        "car" or "patrullero" => TravelMode.Car,
        _ => throw new BarrioSeguro.Geo.Core.Notes.RefusalException(BarrioSeguro.Geo.Core.Notes.Note.Of("network.refused_mode", ("mode", text ?? "")), nameof(text)),
    };
}
