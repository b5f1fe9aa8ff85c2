using System.Diagnostics;

namespace BarrioSeguro.Geo.Cli.Tests;

/// <summary>
/// The <c>barrio</c> script itself, run by bash on a copy in a scratch repository: a stand-in <c>dotnet</c> first on the
/// PATH "builds" (and "publishes") by writing an empty barrio.dll (and says so, as dotnet does), and runs the command line by handing the
/// arguments to the real dotnet and the real barrio.dll of this test run. So the script's own logic is tested (when it
/// builds, in which folder it runs the command line) without a Release build of the real repository.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // a bash script
public sealed class ScriptTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _root;
    private readonly string _fakeBin;

    public ScriptTests()
    {
        _root = Path.Combine(_dir.Path, "repo");
        var cli = Path.Combine(_root, "src", "BarrioSeguro.Geo.Cli");
        Directory.CreateDirectory(Path.Combine(cli, "obj", "Release", "net10.0"));
        File.Copy(Path.Combine(RepositoryRoot(), "barrio"), Path.Combine(_root, "barrio"));
        File.WriteAllText(Path.Combine(cli, "Program.cs"), "// the command line\n");
        File.WriteAllText(Path.Combine(cli, "BarrioSeguro.Geo.Cli.csproj"),
            "<Project><ItemGroup><ProjectReference Include=\"../BarrioSeguro.Geo.Core/BarrioSeguro.Geo.Core.csproj\" /></ItemGroup></Project>\n");
        foreach (var project in new[] { "BarrioSeguro.Geo.Core", "BarrioSeguro.Geo.Api" }) // the command line needs Core, not Api
        {
            Directory.CreateDirectory(Path.Combine(_root, "src", project));
            File.WriteAllText(Path.Combine(_root, "src", project, project + ".csproj"), "<Project />\n");
            File.WriteAllText(Path.Combine(_root, "src", project, "Code.cs"), "// code\n");
        }
        File.WriteAllText(Path.Combine(cli, "obj", "Release", "net10.0", "barrio.AssemblyInfo.cs"), "// generated\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), "<Project />\n");

        _fakeBin = Path.Combine(_dir.Path, "fakebin");
        Directory.CreateDirectory(_fakeBin);
        var dotnet = Path.Combine(_fakeBin, "dotnet");
        File.WriteAllText(dotnet, $$"""
            #!/bin/sh
            if [ "$1" = build ] || [ "$1" = publish ]; then
              out="{{cli}}/bin/Release/net10.0"
              [ "$1" = publish ] && out="$out/publish"
              mkdir -p "$out" && : > "$out/barrio.dll"
              echo "  BarrioSeguro.Geo.Cli -> $out/barrio.dll"
              api="{{Path.Combine(_root, "src", "BarrioSeguro.Geo.Api", "bin", "Release", "net10.0")}}"
              [ "$1" = build ] && mkdir -p "$api" && : > "$api/BarrioSeguro.Geo.Api.dll"
              exit 0
            fi
            shift
            exec "{{RealDotnet()}}" "{{Path.Combine(AppContext.BaseDirectory, "barrio.dll")}}" "$@"
            """.Replace("\r\n", "\n"));
        File.SetUnixFileMode(dotnet, (UnixFileMode)0b111_101_101);
    }

    [Theory]
    [InlineData("BarrioSeguro.Geo.Cli/Program.cs", true)]
    [InlineData("BarrioSeguro.Geo.Core/Code.cs", true)] // a project the command line references
    [InlineData("BarrioSeguro.Geo.Api/Code.cs", false)] // one it does not
    [InlineData("BarrioSeguro.Geo.Cli/obj/Release/net10.0/barrio.AssemblyInfo.cs", false)] // rewritten by every build
    public void After_a_build_the_command_line_is_built_again_only_when_one_of_its_sources_changed(string file, bool builds)
    {
        var first = Barrio(_dir.Path, "help");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("barrio: building the command line", first.Error);
        Assert.Contains("barrio:   built BarrioSeguro.Geo.Cli", first.Error); // progress: a line per project
        Assert.Contains("Usage: barrio COMMAND", first.Out);

        var again = Barrio(_dir.Path, "help");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.DoesNotContain("building", again.Error);
        Assert.Contains("Usage: barrio COMMAND", again.Out);

        // An edit after the build (dated ahead, so the clock's resolution cannot blur the order).
        File.SetLastWriteTimeUtc(Path.Combine(_root, "src", file), DateTime.UtcNow.AddMinutes(1));
        var afterEdit = Barrio(_dir.Path, "help");
        Assert.True(afterEdit.ExitCode == 0, afterEdit.Error);
        Assert.Equal(builds, afterEdit.Error.Contains("barrio: building the command line (Release)...", StringComparison.Ordinal));
    }

    [Fact]
    public void Up_builds_only_when_a_source_changed_and_says_so_either_way()
    {
        var first = Barrio(_dir.Path, "up");
        Assert.Contains("barrio: building: no earlier build of the service", first.Error);
        Assert.Contains("barrio: building the service and the command line (Release)...", first.Error);

        var again = Barrio(_dir.Path, "up");
        Assert.Contains("barrio: sources unchanged since the last build: not building", again.Error);
        Assert.DoesNotContain("building the service", again.Error);
        Assert.Contains("barrio: starting the service", again.Error);

        // The start built (and published) the command line too: no command waits for a build.
        var help = Barrio(_dir.Path, "help");
        Assert.DoesNotContain("building", help.Error);
        Assert.Contains("Usage: barrio COMMAND", help.Out);

        // Files the build or npm write are not walked: npm's packages, generated code, outputs.
        var api = Path.Combine(_root, "src", "BarrioSeguro.Geo.Api");
        foreach (var generated in new[] { "viewer/node_modules/ol/package.json", "obj/Release/net10.0/Api.AssemblyInfo.cs", "bin/Release/net10.0/x.cs" })
        {
            var path = Path.Combine(api, generated);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "{}\n");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        }
        Assert.Contains("barrio: sources unchanged since the last build: not building", Barrio(_dir.Path, "up", "--check").Error);

        File.SetLastWriteTimeUtc(Path.Combine(_root, "src", "BarrioSeguro.Geo.Core", "Code.cs"), DateTime.UtcNow.AddMinutes(1));
        var check = Barrio(_dir.Path, "up", "--check");
        Assert.Contains("barrio: would build: 1 file(s) changed since the last build, e.g. src/BarrioSeguro.Geo.Core/Code.cs", check.Error);
        Assert.DoesNotContain("building the service", check.Error);
        Assert.DoesNotContain("starting the service", check.Error);

        var afterEdit = Barrio(_dir.Path, "up");
        Assert.Contains("barrio: building: 1 file(s) changed since the last build, e.g. src/BarrioSeguro.Geo.Core/Code.cs", afterEdit.Error);
        Assert.Contains("barrio: building the service and the command line (Release)...", afterEdit.Error);
    }

    [Fact]
    public void After_barrio_test_no_command_waits_for_a_build()
    {
        // The stand-in dotnet "builds" and then fails the test run itself: what counts is what the script built.
        Barrio(_dir.Path, "test");

        var help = Barrio(_dir.Path, "help");
        Assert.True(help.ExitCode == 0, help.Error);
        Assert.DoesNotContain("building", help.Error);
        Assert.Contains("Usage: barrio COMMAND", help.Out);
    }

    [Fact]
    public void Relative_paths_are_read_and_written_in_the_callers_folder()
    {
        var caller = Path.Combine(_dir.Path, "elsewhere");
        Directory.CreateDirectory(Path.Combine(caller, "rel"));
        File.WriteAllText(Path.Combine(caller, "rel", "in.geojson"), """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Comisaría El Milagro"},
             "geometry":{"type":"Point","coordinates":[-79.0412,-8.0571]}}]}
            """);

        var run = Barrio(caller, "convert", "rel/in.geojson", "rel/out.gpkg");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.True(File.Exists(Path.Combine(caller, "rel", "out.gpkg")), run.Out + run.Error);
        Assert.False(Directory.Exists(Path.Combine(_root, "rel")));
    }

    private (int ExitCode, string Out, string Error) Barrio(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(_root, "barrio"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PATH"] = _fakeBin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["BARRIO_DB"] = "Host=unused"; // up: no Debian packages checked, no private server
        psi.Environment.Remove("BARRIO_LOCAL_DB");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"barrio {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string RealDotnet()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                   .Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists)
               ?? throw new InvalidOperationException("dotnet is not on the PATH");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) return dir.FullName;
        throw new InvalidOperationException("BarrioSeguro.Geo.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => _dir.Dispose();
}
