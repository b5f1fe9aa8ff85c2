namespace BarrioSeguro.Geo.Data.Hosting;

/// <summary>The local PostgreSQL server could not be prepared, started or stopped. The message carries the tool output or
/// the tail of the server log.</summary>
public class LocalPostgisException : Exception
{
    public LocalPostgisException(string message) : base(message) { }
    public LocalPostgisException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>PostgreSQL or a required extension (PostGIS, pgRouting) is not installed on this machine. The message names
/// the Debian packages to install.</summary>
public sealed class PostgisUnavailableException(string message) : LocalPostgisException(message);
