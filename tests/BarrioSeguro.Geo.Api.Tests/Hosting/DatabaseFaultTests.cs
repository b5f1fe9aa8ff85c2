using System.Net;
using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Data.Hosting;
using BarrioSeguro.Geo.Data.Tests;
using BarrioSeguro.Geo.Data.Tests.Hosting;
using BarrioSeguro.Geo.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Hosting;

/// <summary>
/// The service on its own private PostgreSQL server (as <c>./barrio up</c> runs it, in a temp folder) while that server
/// is killed: requests answer 503 with Retry-After, the service starts the server again and answers 200, all without
/// restarting the service.
/// </summary>
public sealed class DatabaseFaultTests : IAsyncLifetime
{
    // A public base layer, readable without signing in, read from the database every time: properties= takes it off
    // the kept pages, which are served from memory until the service hears the database is gone.
    private const string DataRequest = "/api/collections/streets/items?limit=1&properties=name";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2); // a bound for a broken service, not a speed claim

    private const string FirstUrl = "http://127.0.0.1:5979";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "barrio-faults-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplicationFactory<Program>? _factory;

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Barrio:LocalDatabaseDirectory", Path.Combine(_folder, "pgdata")); // as .barrio/pgdata
            web.UseSetting("Barrio:LoadSampleData", "false");
            web.UseSetting("urls", FirstUrl); // what a second service is told (the test server itself needs no port)
            web.UseSetting("Barrio:Limits:SignInsPerWindow", "100000"); // the racing sign-ins below come from one address
        });
        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task Killed_private_server_gives_503_with_Retry_After_then_comes_back_by_itself()
    {
        PostgisFixture.RequireLocalServer();
        var client = _factory!.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(DataRequest)).StatusCode);
        var server = _factory.Services.GetRequiredService<DatabaseConnection>().Server!;
        var killed = Postmaster.Pid(server.DataDirectory);

        await Postmaster.KillAsync(server.DataDirectory);

        var unavailable = 0;
        var deadline = DateTime.UtcNow + Patience;
        HttpResponseMessage response;
        while (true)
        {
            response = await client.GetAsync(DataRequest);
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline) break;
            // While it is down: a 503 that says when to try again, never a bare 500.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
            unavailable++;
            await Task.Delay(100);
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"still {(int)response.StatusCode} after {unavailable} answers of 503");
        Assert.True(server.IsPostmasterAlive());
        Assert.NotEqual(killed, Postmaster.Pid(server.DataDirectory));
    }

    [SkippableFact]
    public async Task Requests_in_flight_when_the_server_is_killed_answer_503_with_Retry_After_or_succeed_and_the_service_recovers()
    {
        PostgisFixture.RequireLocalServer();
        const string password = "fault-password-1";
        await using (var scope = _factory!.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<BarrioSeguro.Geo.Data.Accounts.AccountStore>()
                .AddAsync("fault-viewer", password, BarrioSeguro.Geo.Data.Accounts.Role.Viewer, []);
        var anonymous = _factory.CreateClient();
        var signIn = await anonymous.PostAsync("/api/auth/token", SignInBody(password));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var token = System.Text.Json.JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();

        // Ordinary requests, signed in and not, reads and a write (a sign-in updates its account), from 8 clients at once.
        var requests = new Func<HttpClient, Task<HttpResponseMessage>>[]
        {
            c => c.GetAsync(DataRequest),
            c => c.GetAsync("/api/auth/me"), // the token is checked against the accounts table
            c => c.GetAsync("/api/collections/incidents/items?limit=5"),
            c => c.PostAsync("/api/auth/token", SignInBody(password)),
        };
        var answers = new System.Collections.Concurrent.ConcurrentBag<(int Request, HttpStatusCode Status, bool RetryAfter, string? Type)>();
        var server = _factory.Services.GetRequiredService<DatabaseConnection>().Server!;
        var killed = Postmaster.Pid(server.DataDirectory);
        using var stop = new CancellationTokenSource();
        var recovered = 0; // answers of 200 to requests sent after the kill
        var afterKill = 0;
        var clients = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var client = _factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            for (var i = n; !stop.IsCancellationRequested; i++)
            {
                var sentAfterKill = Volatile.Read(ref afterKill) == 1;
                using var response = await requests[i % requests.Length](client);
                answers.Add((i % requests.Length, response.StatusCode, response.Headers.RetryAfter?.Delta is not null, response.Content.Headers.ContentType?.MediaType));
                if (response.StatusCode == HttpStatusCode.OK && sentAfterKill) Interlocked.Increment(ref recovered);
            }
        })).ToList();

        while (answers.Count < 40) await Task.Delay(20); // requests in flight before the kill
        await Postmaster.KillAsync(server.DataDirectory, backendsToo: true); // the connections in use die with it
        Volatile.Write(ref afterKill, 1);
        var deadline = DateTime.UtcNow + Patience;
        while (Volatile.Read(ref recovered) < 40 && DateTime.UtcNow < deadline) await Task.Delay(50);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        var all = answers.ToList();
        var wrong = all.Where(a => !(a.Status == HttpStatusCode.OK
                                     || a.Status == HttpStatusCode.ServiceUnavailable && a.RetryAfter && a.Type == "application/problem+json")).ToList();
        Assert.True(wrong.Count == 0, "answers other than 200 or 503 with Retry-After: " + string.Join(", ", wrong.Take(10).Select(w => $"request {w.Request}: {(int)w.Status}")));
        Assert.Contains(all, a => a.Status == HttpStatusCode.ServiceUnavailable); // the kill was felt
        Assert.True(recovered >= 40, $"only {recovered} answers of 200 after the kill, in {all.Count}");
        Assert.NotEqual(killed, Postmaster.Pid(server.DataDirectory));
        // And after it: every kind of request answers again, without a restart of the service.
        foreach (var request in requests)
        {
            var client = _factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await request(client)).StatusCode);
        }
    }

    private static StringContent SignInBody(string password) =>
        new($"{{\"username\":\"fault-viewer\",\"password\":\"{password}\"}}", System.Text.Encoding.UTF8, "application/json");

    [SkippableFact]
    public async Task With_the_service_pool_exhausted_the_command_line_still_connects()
    {
        PostgisFixture.RequireLocalServer();
        var client = _factory!.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(DataRequest)).StatusCode);
        var service = _factory.Services.GetRequiredService<DatabaseConnection>().Value;
        Assert.Equal(LocalPostgisServer.ServicePoolSize, new NpgsqlConnectionStringBuilder(service).MaxPoolSize);

        // Take every connection of the service's own pool, as that many slow requests in parallel would: each holds
        // a request scope's DbContext with its connection open.
        var held = new List<AsyncServiceScope>();
        try
        {
            for (var i = 0; i < LocalPostgisServer.ServicePoolSize; i++)
            {
                var scope = _factory.Services.CreateAsyncScope();
                held.Add(scope);
                await scope.ServiceProvider.GetRequiredService<BarrioDbContext>().Database.OpenConnectionAsync();
            }
            // The service itself has none left: its requests are told to come back, not failed.
            var starved = await client.GetAsync(DataRequest);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, starved.StatusCode);

            // The command line, as `./barrio import` opens it, still gets in.
            await using var cli = await LocalPostgisServer.StartAsync(new LocalPostgisOptions { DataDirectory = Path.Combine(_folder, "pgdata"), Database = "barrio" });
            await using var cliConnection = new NpgsqlConnection(cli.ConnectionString);
            await cliConnection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_setting('max_connections')::int", cliConnection);
            var max = (int)(await command.ExecuteScalarAsync())!;
            Assert.Equal(LocalPostgisServer.MaxConnections, max);
            Assert.True(LocalPostgisServer.ServicePoolSize < max - LocalPostgisServer.SuperuserReservedConnections);
        }
        finally
        {
            foreach (var scope in held) await scope.DisposeAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(DataRequest)).StatusCode);
    }

    [SkippableFact]
    public async Task A_second_service_on_the_same_folder_says_where_the_first_serves_and_exits_non_zero()
    {
        PostgisFixture.RequireLocalServer();
        var client = _factory!.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(DataRequest)).StatusCode);
        var pid = Postmaster.Pid(Path.Combine(_folder, "pgdata"));

        // The real service, as `./barrio up` runs it, on the same folder.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "BarrioSeguro.Geo.Api.dll")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Barrio__LocalDatabaseDirectory"] = Path.Combine(_folder, "pgdata");
        start.Environment["BARRIO_URLS"] = "http://127.0.0.1:0";
        start.Environment.Remove("BARRIO_DB");
        using var second = System.Diagnostics.Process.Start(start)!;
        var stderr = second.StandardError.ReadToEndAsync();
        await second.StandardOutput.ReadToEndAsync();
        await second.WaitForExitAsync();

        Assert.Equal(1, second.ExitCode);
        var message = await stderr;
        Assert.Contains("already serving", message);
        Assert.Contains(FirstUrl, message);
        Assert.DoesNotContain(" at ", message.Replace($"at {FirstUrl}", "", StringComparison.Ordinal)); // no stack trace
        // The first one was not touched: same server, still answering.
        Assert.Equal(pid, Postmaster.Pid(Path.Combine(_folder, "pgdata")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(DataRequest)).StatusCode);
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix sockets and file modes
    public async Task The_service_connects_as_the_owner_of_its_database_not_as_a_superuser_and_only_through_the_socket()
    {
        PostgisFixture.RequireLocalServer();
        Assert.Equal(HttpStatusCode.OK, (await _factory!.CreateClient().GetAsync(DataRequest)).StatusCode);
        var service = new NpgsqlConnectionStringBuilder(_factory.Services.GetRequiredService<DatabaseConnection>().Value) { Pooling = false };
        var server = _factory.Services.GetRequiredService<DatabaseConnection>().Server!;

        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var who = new NpgsqlCommand(
                "SELECT r.rolsuper, d.datdba = r.oid FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()",
                connection);
            await using (var reader = await who.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.False(reader.GetBoolean(0), "the service's role is a superuser");
                Assert.True(reader.GetBoolean(1), "the service's role does not own its database");
            }
            // What a superuser could do to the machine, refused.
            await using var copy = new NpgsqlCommand("COPY (SELECT 1) TO PROGRAM 'touch /tmp/barrio-owned'", connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => copy.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        // No TCP listener on the loopback port, and the socket wants a password.
        var tcp = new NpgsqlConnectionStringBuilder(service.ConnectionString) { Host = "127.0.0.1", Timeout = 5 };
        await using (var overTcp = new NpgsqlConnection(tcp.ConnectionString))
        {
            var e = await Assert.ThrowsAnyAsync<NpgsqlException>(() => overTcp.OpenAsync());
            Assert.IsNotType<PostgresException>(e); // refused by the system, not answered by a server
        }
        var noPassword = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Password = null, Pooling = false };
        await using (var anonymous = new NpgsqlConnection(noPassword.ConnectionString))
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => anonymous.OpenAsync());
        }
        var secrets = Path.Combine(server.DataDirectory, "barrio-secrets");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secrets));
    }

    [Theory]
    [InlineData("Host=db;Username=barrio", 20)]
    [InlineData("Host=db;Username=barrio;Maximum Pool Size=7", 7)]
    [InlineData("Host=db;Username=barrio;MaxPoolSize=9", 9)]
    public void An_external_database_pool_is_capped_unless_its_connection_string_sets_a_size(string given, int expected)
    {
        var capped = DatabaseConnection.CapPool(given, DatabaseConnection.ExternalPoolSize);
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(capped).MaxPoolSize);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
