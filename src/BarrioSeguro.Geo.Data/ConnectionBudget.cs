using System.Globalization;
using Npgsql;

namespace BarrioSeguro.Geo.Data;

/// <summary>
/// The service's share of PostgreSQL's connections: its pool (Maximum Pool Size) must stay below the server's
/// max_connections less the connections kept for superusers (superuser_reserved_connections, and reserved_connections
/// from PostgreSQL 16) and <see cref="ToolReserve"/> more for the command line and an administrator's tools. Requests
/// beyond the pool wait for a connection (Npgsql queues them up to the connection string's Timeout), they do not fail.
/// </summary>
public static class ConnectionBudget
{
    /// <summary>Connections left, beyond the superusers' reserve, for <c>barrio</c> commands, psql, QGIS and backups.</summary>
    public const int ToolReserve = 10;

    /// <summary>What the server allows and what the pool takes.</summary>
    /// <param name="PoolSize">The pool's Maximum Pool Size.</param>
    /// <param name="MaxConnections">The server's max_connections.</param>
    /// <param name="Reserved">Kept for superusers and roles with pg_use_reserved_connections.</param>
    public sealed record Budget(int PoolSize, int MaxConnections, int Reserved)
    {
        /// <summary>The most the pool may hold: what is left after the reserves.</summary>
        public int Allowed => MaxConnections - Reserved - ToolReserve;

        public bool Fits => PoolSize <= Allowed;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"pool {PoolSize} of max_connections {MaxConnections} ({Reserved} reserved for superusers, {ToolReserve} kept for tools: at most {Allowed})");
    }

    /// <summary>Reads the server's limits over one unpooled connection and compares the pool with them.</summary>
    public static async Task<Budget> ReadAsync(string connectionString, CancellationToken ct = default)
    {
        var pool = new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize;
        var once = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(once);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int"
            + " + coalesce(current_setting('reserved_connections', true)::int, 0)", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new Budget(pool, reader.GetInt32(0), reader.GetInt32(1));
    }

    /// <summary>
    /// Refuses a pool that would take the connections the command line and an administrator need (checked when the
    /// service starts, before it listens).
    /// </summary>
    /// <exception cref="InvalidOperationException">The pool does not fit; the message says by how much and what to set.</exception>
    public static async Task<Budget> CheckAsync(string connectionString, CancellationToken ct = default)
    {
        var budget = await ReadAsync(connectionString, ct);
        if (!budget.Fits)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The service's connection pool is too large: {budget}. Set Maximum Pool Size to {Math.Max(1, budget.Allowed)} or less in the connection string, or raise max_connections."));
        return budget;
    }
}
