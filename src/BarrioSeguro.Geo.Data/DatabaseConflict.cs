using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BarrioSeguro.Geo.Data;

/// <summary>
/// What PostgreSQL says when two writers race: a unique key taken between our check and our insert (23505), a
/// serialization failure or deadlock (40001, 40P01), or EF Core's concurrency token that matched no row. All of them are
/// conflicts to answer (409/412) or retry, never a 500.
/// </summary>
public static class DatabaseConflict
{
    public const string UniqueViolation = "23505";

    /// <summary>
    /// The exception and every one it wraps, outermost first: EF Core puts Npgsql's errors inside DbUpdateException and
    /// InvalidOperationException. The one walk every question below asks.
    /// </summary>
    public static IEnumerable<Exception> Causes(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException) yield return x;
    }

    /// <summary>The PostgreSQL error inside an EF Core or Npgsql exception, if any.</summary>
    public static PostgresException? Postgres(Exception e) => Causes(e).OfType<PostgresException>().FirstOrDefault();

    /// <summary>A unique key on <paramref name="constraint"/> (or any, when null) was taken by another writer.</summary>
    public static bool IsUniqueViolation(Exception e, string? constraint = null) =>
        Postgres(e) is { SqlState: UniqueViolation } pg && (constraint is null || pg.ConstraintName == constraint);

    /// <summary>Any race between writers: a concurrency token, a unique key, a serialization failure or a deadlock.</summary>
    public static bool IsRace(Exception e) => Fault(e) == DatabaseFault.Race;

    /// <summary>
    /// What the database's part in <paramref name="exception"/> means, from the first database error found inside:
    /// a race, a statement PostgreSQL cancelled for running too long, a database that cannot answer (connection,
    /// shutdown and insufficient-resource states such as a full disk; a refused or broken socket, a pool with no free
    /// connection), or none.
    /// </summary>
    public static DatabaseFault Fault(Exception exception)
    {
        foreach (var e in Causes(exception))
        {
            switch (e)
            {
                case DbUpdateConcurrencyException:
                    return DatabaseFault.Race;
                case PostgresException p:
                    return p.SqlState switch
                    {
                        UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected => DatabaseFault.Race,
                        // Cancelled by the server's statement_timeout; by the caller going away (an OperationCanceledException outside) it is not.
                        PostgresErrorCodes.QueryCanceled => exception is OperationCanceledException ? DatabaseFault.None : DatabaseFault.QueryTimeout,
                        // Connection states (08), and insufficient resources (53: disk full, out of memory, too many connections).
                        var state when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal) => DatabaseFault.Unavailable,
                        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow => DatabaseFault.Unavailable,
                        _ => DatabaseFault.None,
                    };
                case NpgsqlException:
                    return DatabaseFault.Unavailable;
            }
        }
        return DatabaseFault.None;
    }

    public const string NeighborhoodName = "ix_neighborhoods_name";
    public const string NeighborhoodRevision = "ix_neighborhood_revisions_neighborhood_id_version";
    public const string DatasetHash = "ix_datasets_collection_sha256";
}

/// <summary>What a database error means for the caller (see <see cref="DatabaseConflict.Fault"/>).</summary>
public enum DatabaseFault
{
    None,
    /// <summary>Another writer won: a conflict to answer or retry.</summary>
    Race,
    /// <summary>A statement cancelled by the server for running over its statement_timeout.</summary>
    QueryTimeout,
    /// <summary>The database cannot answer now: stopped, restarting, no free connection.</summary>
    Unavailable,
}
