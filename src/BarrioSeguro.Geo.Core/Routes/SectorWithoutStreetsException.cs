namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>A sector with no street the travel mode can use: no route for it (its note says so by code, not sentence).</summary>
public sealed class SectorWithoutStreetsException(string sector)
    : ArgumentException($"Sector {sector} holds no street the patrol mode can use.")
{
    public string Sector { get; } = sector;
}
