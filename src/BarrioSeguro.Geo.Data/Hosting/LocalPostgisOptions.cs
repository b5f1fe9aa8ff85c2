namespace BarrioSeguro.Geo.Data.Hosting;

/// <summary>How to run a <see cref="LocalPostgisServer"/>. Set either <see cref="DataDirectory"/> or <see cref="Throwaway"/>.</summary>
public sealed record LocalPostgisOptions
{
    /// <summary>
    /// A persistent data folder, e.g. <c>&lt;repo&gt;/.barrio/pgdata</c>. Initialised on first start, reused afterwards.
    /// When running as root and the <c>postgres</c> user cannot reach this folder (a parent with mode 700), a folder under
    /// the system temp folder derived from this path is used instead; <see cref="LocalPostgisServer.DataDirectory"/> tells which.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>A fresh folder under the system temp folder, tuned for speed (fsync off), deleted on dispose.</summary>
    public bool Throwaway { get; init; }

    /// <summary>
    /// What to do with a server that is already running on <see cref="DataDirectory"/> (started by another process, or
    /// left behind by one that crashed). It is always used as it is, never started twice. With <c>Adopt</c> it is also
    /// this instance's to stop, when it leaves last (the service: a crash leaves nothing that blocks the next start); without,
    /// it is left running (the command line: it never stops a server it did not start).
    /// </summary>
    public bool Adopt { get; init; }

    /// <summary>The port number, which names the Unix socket (no TCP listener); 0 picks a free one. A server found running keeps its own.</summary>
    public int Port { get; init; }

    /// <summary>Database to connect to; created when missing.</summary>
    public string Database { get; init; } = "barrio";

    /// <summary>Extensions created in <see cref="Database"/> (with CASCADE), e.g. "postgis", "pgrouting".</summary>
    public IReadOnlyList<string> Extensions { get; init; } = ["postgis"];

    /// <summary>Folder with initdb, pg_ctl and postgres; null searches (see <see cref="PostgisPrerequisites.FindBinDirectory"/>).</summary>
    public string? BinDirectory { get; init; }

    /// <summary>How long pg_ctl waits for the server to accept connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A throwaway server with PostGIS, on a free port.</summary>
    public static LocalPostgisOptions ForThrowaway(params string[] extensions) =>
        new() { Throwaway = true, Extensions = extensions.Length == 0 ? ["postgis"] : extensions };

    internal void Validate()
    {
        if (Throwaway == (DataDirectory is not null))
        {
            throw new ArgumentException("Set exactly one of LocalPostgisOptions.DataDirectory and LocalPostgisOptions.Throwaway.");
        }
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be 0 (free port) or 1-65535.");
        }
        PostgisDatabase.ValidateIdentifier(Database, nameof(Database));
        foreach (var extension in Extensions)
        {
            PostgisDatabase.ValidateIdentifier(extension, nameof(Extensions));
        }
    }
}
