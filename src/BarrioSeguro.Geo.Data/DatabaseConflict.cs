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

    /// <summary>The PostgreSQL error inside an EF Core or Npgsql exception, if any.</summary>
    public static PostgresException? Postgres(Exception e) => e as PostgresException ?? e.InnerException as PostgresException;

    /// <summary>A unique key on <paramref name="constraint"/> (or any, when null) was taken by another writer.</summary>
    public static bool IsUniqueViolation(Exception e, string? constraint = null) =>
        Postgres(e) is { SqlState: UniqueViolation } pg && (constraint is null || pg.ConstraintName == constraint);

    /// <summary>Any race between writers: a concurrency token, a unique key, a serialization failure or a deadlock.</summary>
    public static bool IsRace(Exception e) =>
        e is DbUpdateConcurrencyException
        || Postgres(e) is { SqlState: UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    public const string NeighborhoodName = "ix_neighborhoods_name";
    public const string NeighborhoodRevision = "ix_neighborhood_revisions_neighborhood_id_version";
    public const string DatasetHash = "ix_datasets_collection_sha256";
}
