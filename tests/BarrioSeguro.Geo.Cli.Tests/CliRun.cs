namespace BarrioSeguro.Geo.Cli.Tests;

/// <summary>Runs <c>barrio</c> in-process and captures what it printed.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>stderr as it must be for an error: exactly one line.</summary>
    public string ErrorLine
    {
        get
        {
            var lines = Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
            Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{Error}");
            return lines[0];
        }
    }
}

/// <summary>A fresh folder per test, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "barrio-cli-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        System.IO.File.WriteAllText(File(name), text);
        return File(name);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The repository's sample data: <c>geodata/</c> in the repository root (the folder with BarrioSeguro.Geo.sln).</summary>
public static class SharedGeodata
{
    public static string PathOf(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, $"repository root (BarrioSeguro.Geo.sln) not found above {AppContext.BaseDirectory}");
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir!.FullName, "geodata", relative));
        Assert.True(System.IO.File.Exists(path), $"sample data missing: {path} (expected in geodata/ of the repository)");
        return path;
    }
}
