using System.Net;
using System.Net.Sockets;
using BarrioSeguro.Geo.Api.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>A database that does not answer is a 503 with Retry-After (ApiErrors), whatever wraps Npgsql's error.</summary>
public class DatabaseUnavailableTests
{
    private static Task<HttpClient> Host() => ErrorHost.StartAsync(app =>
    {
        // A real refused connection: a loopback port nobody listens on.
        app.MapGet("/api/down", async () =>
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={ClosedPort()};Username=x;Pooling=false;Timeout=5");
            await connection.OpenAsync();
            return "unreachable";
        });
        app.MapGet("/api/down-in-ef", () =>
        {
            throw new DbUpdateException("An error occurred while saving the entity changes.", new NpgsqlException("Exception while reading from stream"));
        });
        app.MapGet("/api/bad-sql", () => { throw new PostgresException("syntax error at or near \"SELEC\"", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError); });
        app.MapGet("/api/shutting-down", () => { throw new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown); });
    });

    [Theory]
    [InlineData("/api/down")]
    [InlineData("/api/down-in-ef")]
    [InlineData("/api/shutting-down")]
    public async Task A_database_that_does_not_answer_is_a_503_ProblemDetails_with_Retry_After(string path)
    {
        var client = await Host();
        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(ApiErrors.DatabaseRetryAfterSeconds), response.Headers.RetryAfter!.Delta);
        var body = await ApiFixture.JsonOf(response);
        Assert.Equal(503, body.GetProperty("status").GetInt32());
        Assert.Equal(path, body.GetProperty("instance").GetString());
        Assert.DoesNotContain("Npgsql", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_statement_the_server_refuses_is_not_taken_for_an_outage()
    {
        var client = await Host();
        var response = await client.GetAsync("/api/bad-sql");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
