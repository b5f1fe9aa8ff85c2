using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>One walk of the wrapped exceptions answers the race, the timeout and the unavailable database alike.</summary>
public class DatabaseFaultKindsTests
{
    private static PostgresException Pg(string state) => new("message", "ERROR", "ERROR", state);

    // EF Core wraps twice at times (a DbUpdateException inside an InvalidOperationException of a retry strategy).
    private static Exception Wrapped(Exception inner) => new InvalidOperationException("outer", new DbUpdateException("update", inner));

    [Theory]
    [InlineData(DatabaseConflict.UniqueViolation, DatabaseFault.Race)]
    [InlineData(PostgresErrorCodes.SerializationFailure, DatabaseFault.Race)]
    [InlineData(PostgresErrorCodes.DeadlockDetected, DatabaseFault.Race)]
    [InlineData(PostgresErrorCodes.QueryCanceled, DatabaseFault.QueryTimeout)]
    [InlineData(PostgresErrorCodes.AdminShutdown, DatabaseFault.Unavailable)]
    [InlineData(PostgresErrorCodes.TooManyConnections, DatabaseFault.Unavailable)]
    [InlineData("08006", DatabaseFault.Unavailable)]
    [InlineData(PostgresErrorCodes.DiskFull, DatabaseFault.Unavailable)] // seen on a shared machine: a 500 before
    [InlineData(PostgresErrorCodes.OutOfMemory, DatabaseFault.Unavailable)]
    [InlineData(PostgresErrorCodes.CheckViolation, DatabaseFault.None)]
    public void A_server_error_at_any_depth_is_what_its_state_says(string state, DatabaseFault expected)
    {
        Assert.Equal(expected, DatabaseConflict.Fault(Pg(state)));
        Assert.Equal(expected, DatabaseConflict.Fault(Wrapped(Pg(state))));
        Assert.Equal(expected == DatabaseFault.Race, DatabaseConflict.IsRace(Wrapped(Pg(state))));
        Assert.Equal(expected == DatabaseFault.Unavailable, ApiErrors.IsDatabaseUnavailable(Wrapped(Pg(state))));
        Assert.Equal(expected == DatabaseFault.QueryTimeout, ApiErrors.IsQueryTimeout(Wrapped(Pg(state))));
    }

    [Fact]
    public void No_answer_is_unavailable_a_caller_gone_is_no_timeout_and_a_plain_error_is_none()
    {
        Assert.Equal(DatabaseFault.Unavailable, DatabaseConflict.Fault(Wrapped(new NpgsqlException("broken", new IOException()))));
        Assert.Equal(DatabaseFault.None, DatabaseConflict.Fault(new OperationCanceledException("gone", Pg(PostgresErrorCodes.QueryCanceled))));
        Assert.Equal(DatabaseFault.Race, DatabaseConflict.Fault(new DbUpdateConcurrencyException("no row")));
        Assert.Equal(DatabaseFault.None, DatabaseConflict.Fault(new InvalidOperationException("not the database")));
    }
}
