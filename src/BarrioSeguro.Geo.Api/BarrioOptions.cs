using System.ComponentModel.DataAnnotations;

namespace BarrioSeguro.Geo.Api;

/// <summary>The service's settings, section "Barrio" (environment: Barrio__ConnectionString, or BARRIO_DB).</summary>
public sealed class BarrioOptions
{
    public const string Section = "Barrio";

    /// <summary>Npgsql connection string of a PostGIS database. When empty, LocalDatabaseDirectory must be set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder of a private PostGIS server that the service starts and stops itself (./barrio up).</summary>
    public string? LocalDatabaseDirectory { get; set; }

    /// <summary>Load the sample data of geodata/ at start (idempotent).</summary>
    public bool LoadSampleData { get; set; }

    /// <summary>The geodata/ folder with the sample data.</summary>
    public string? SampleDataPath { get; set; }

    /// <summary>
    /// Longest a statement of the service may run on PostgreSQL, in seconds (its statement_timeout; 0: no limit). A query
    /// over it is cancelled by the server and answered 503 naming this limit.
    /// </summary>
    [Range(0, 24 * 3600)]
    public int StatementTimeoutSeconds { get; set; } = 120;
    /// The address officers reach the service at from the field (e.g. https://barrio.example.pe): the field kit's QR
    /// codes and links point there (environment: BARRIO_PUBLIC_URL). Unset: the kit prints no QR code and says so; the
    /// request's own host is never used. A loopback address is refused at start.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Largest request body accepted for uploads, in bytes.</summary>
    [Range(1024, 1L << 31)]
    public long MaxUploadBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest OpenStreetMap PBF extract accepted by POST /api/imports/osm, in bytes (a department's extract fits).</summary>
    [Range(1024, 1L << 34)]
    public long MaxOsmUploadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>How long each osmium run of an OSM import may take.</summary>
    public TimeSpan OsmReadTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
