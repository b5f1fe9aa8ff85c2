using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BarrioSeguro.Geo.Data.Hosting;

/// <summary>What was found on this machine for running a local PostGIS server.</summary>
/// <param name="BinDirectory">The folder holding initdb, pg_ctl and postgres; null when not found.</param>
/// <param name="MajorVersion">The PostgreSQL major version of those binaries; null when not found.</param>
/// <param name="Problems">One sentence per missing piece, naming the Debian package to install. Empty when all is there.</param>
public sealed record PostgisPrerequisiteReport(string? BinDirectory, int? MajorVersion, IReadOnlyList<string> Problems)
{
    public bool IsSatisfied => Problems.Count == 0;

    /// <summary>All problems in one message, or an empty string.</summary>
    public string Message => string.Join(Environment.NewLine, Problems);
}

/// <summary>
/// Checks that a local PostGIS server can be run: PostgreSQL server binaries, the extension files (PostGIS, pgRouting) and,
/// when running as root, the <c>postgres</c> system user. Installing them is the <c>barrio</c> script's job; this only
/// reports, as data, what is missing and which Debian package provides it.
/// </summary>
public static partial class PostgisPrerequisites
{
    /// <summary>The PostgreSQL major version the project targets; used to name packages when nothing is installed.</summary>
    public const int DefaultMajorVersion = 15;

    /// <summary>Checks this machine. Does not throw; a missing piece is a line in <see cref="PostgisPrerequisiteReport.Problems"/>.</summary>
    /// <param name="extensions">Extensions that must be installable; default <c>["postgis"]</c>.</param>
    /// <param name="binDirectory">Use this folder instead of searching for the server binaries.</param>
    public static PostgisPrerequisiteReport Check(IEnumerable<string>? extensions = null, string? binDirectory = null)
    {
        var problems = new List<string>();
        var wanted = (extensions ?? ["postgis"]).ToList();
        var bin = binDirectory ?? FindBinDirectory();
        if (bin is null || !HasServerBinaries(bin))
        {
            var where = binDirectory is null ? "(searched pg_config --bindir and /usr/lib/postgresql/*/bin)" : $"in '{binDirectory}'";
            problems.Add($"PostgreSQL server binaries (initdb, pg_ctl, postgres) not found {where}. " +
                         $"Install the Debian package postgresql-{DefaultMajorVersion}.");
            problems.AddRange(wanted.Select(e => $"Extension '{e}' cannot be checked without a server. " +
                                                 $"Install the Debian package {PackageFor(e, DefaultMajorVersion)}."));
            return new PostgisPrerequisiteReport(null, null, problems);
        }

        var major = MajorVersionOf(bin);
        var extensionDir = Path.Combine(ShareDirectoryOf(bin, major), "extension");
        foreach (var extension in wanted)
        {
            var control = Path.Combine(extensionDir, extension + ".control");
            if (!File.Exists(control))
            {
                problems.Add($"Extension '{extension}' is not installed for PostgreSQL {major} ({control} not found). " +
                             $"Install the Debian package {PackageFor(extension, major ?? DefaultMajorVersion)}.");
            }
        }

        if (PostgresProcess.RunsAsServiceUser && !PostgresProcess.ServiceUserExists())
        {
            problems.Add($"Running as root, but the '{PostgresProcess.ServiceUser}' system user the server must run as does not exist. " +
                         "It is created by the Debian package postgresql-common.");
        }
        return new PostgisPrerequisiteReport(bin, major, problems);
    }

    /// <summary>The Debian package that provides <paramref name="extension"/> for PostgreSQL <paramref name="majorVersion"/>.</summary>
    public static string PackageFor(string extension, int majorVersion) => extension switch
    {
        "postgis" or "postgis_raster" or "postgis_topology" or "postgis_tiger_geocoder" or "address_standardizer"
            or "postgis_sfcgal" => $"postgresql-{majorVersion}-postgis-3",
        "pgrouting" => $"postgresql-{majorVersion}-pgrouting",
        _ => $"postgresql-{majorVersion} (or the package providing the '{extension}' extension)",
    };

    /// <summary>
    /// The folder holding initdb, pg_ctl and postgres: <c>pg_config --bindir</c> when that folder has them, else
    /// <c>/usr/lib/postgresql/&lt;highest version&gt;/bin</c>, else the folder of an <c>initdb</c> on the PATH. Null when none.
    /// </summary>
    public static string? FindBinDirectory()
    {
        var fromPgConfig = RunQuietly("pg_config", "--bindir");
        if (fromPgConfig is not null && HasServerBinaries(fromPgConfig))
        {
            return fromPgConfig;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var highest = Directory.EnumerateDirectories(debianRoot)
                .Select(d => (Dir: d, Version: double.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(x => x.Version >= 0 && HasServerBinaries(Path.Combine(x.Dir, "bin")))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir, "bin"))
                .FirstOrDefault();
            if (highest is not null)
            {
                return highest;
            }
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(HasServerBinaries);
    }

    internal static bool HasServerBinaries(string dir) =>
        new[] { "initdb", "pg_ctl", "postgres" }.All(tool => File.Exists(Path.Combine(dir, tool)));

    internal static int? MajorVersionOf(string binDirectory)
    {
        // "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"
        var version = RunQuietly(Path.Combine(binDirectory, "postgres"), "--version");
        var match = version is null ? null : VersionPattern().Match(version);
        return match is { Success: true } ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static string ShareDirectoryOf(string binDirectory, int? major)
    {
        var pgConfig = Path.Combine(binDirectory, "pg_config");
        var share = File.Exists(pgConfig) ? RunQuietly(pgConfig, "--sharedir") : null;
        return share ?? $"/usr/share/postgresql/{major ?? DefaultMajorVersion}";
    }

    private static string? RunQuietly(string file, string arg)
    {
        try
        {
            var psi = new ProcessStartInfo(file, arg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(psi);
            if (process is null)
            {
                return null;
            }
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)")]
    private static partial Regex VersionPattern();
}
