namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>A coordinate reference system this service cannot transform to or from.</summary>
public sealed class UnknownCrsException(string crs)
    : Exception($"Unknown or unsupported CRS '{crs}'. Supported: EPSG:4326, EPSG:3857, WGS 84 / UTM (EPSG:326xx, 327xx), PSAD56 / UTM 17S-19S (EPSG:24877-24879).")
{
    public string Crs { get; } = crs;
}
