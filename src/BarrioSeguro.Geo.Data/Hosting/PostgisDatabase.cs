using System.Text.RegularExpressions;
using Npgsql;

namespace BarrioSeguro.Geo.Data.Hosting;

/// <summary>Creating databases and extensions on a server, given a superuser (or CREATEDB) connection string.</summary>
public static partial class PostgisDatabase
{
    /// <summary>Creates <paramref name="database"/> when it does not exist, optionally as a copy of <paramref name="template"/>.
    /// Returns whether it was created.</summary>
    public static async Task<bool> EnsureDatabaseAsync(string connectionString, string database, string? template = null,
        CancellationToken ct = default)
    {
        ValidateIdentifier(database, nameof(database));
        if (template is not null)
        {
            ValidateIdentifier(template, nameof(template));
        }

        await using var connection = new NpgsqlConnection(WithDatabase(connectionString, "postgres"));
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", database);
            if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
            {
                return false;
            }
        }

        // Identifiers are validated above (lowercase letters, digits, underscore), so quoting is enough here.
        var sql = $"CREATE DATABASE \"{database}\"" + (template is null ? "" : $" TEMPLATE \"{template}\"");
        await using var create = new NpgsqlCommand(sql, connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            return false; // created concurrently by someone else
        }
        return true;
    }

    /// <summary>
    /// Creates each extension (with CASCADE) unless present. Throws <see cref="PostgisUnavailableException"/> naming the
    /// Debian package when the server does not have an extension's files installed.
    /// </summary>
    public static async Task EnsureExtensionsAsync(string connectionString, IEnumerable<string> extensions, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        foreach (var extension in extensions)
        {
            ValidateIdentifier(extension, nameof(extensions));
            await using (var available = new NpgsqlCommand("SELECT 1 FROM pg_available_extensions WHERE name = @name", connection))
            {
                available.Parameters.AddWithValue("name", extension);
                if (await available.ExecuteScalarAsync(ct).ConfigureAwait(false) is null)
                {
                    var major = connection.PostgreSqlVersion.Major;
                    throw new PostgisUnavailableException(
                        $"The PostgreSQL {major} server at {connection.Host}:{connection.Port} does not have the '{extension}' extension installed. " +
                        $"Install the Debian package {PostgisPrerequisites.PackageFor(extension, major)} on the server machine.");
                }
            }
            await using var create = new NpgsqlCommand($"CREATE EXTENSION IF NOT EXISTS \"{extension}\" CASCADE", connection);
            try
            {
                await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Two sessions racing to create the same extension in one database: the other one won.
            }
        }
    }

    /// <summary>The same connection string pointing at another database.</summary>
    public static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    internal static void ValidateIdentifier(string name, string parameter)
    {
        if (!IdentifierPattern().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a plain identifier: use 1-63 lowercase letters, digits and underscores, starting with a letter or underscore.",
                parameter);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();
}
