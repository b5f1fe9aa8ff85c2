using System.Diagnostics;

namespace BarrioSeguro.Geo.Printing.Tests;

/// <summary>Reads a PDF back with poppler-utils (pdftotext, pdftoppm, pdfinfo), as a reader's viewer would.</summary>
public static class PdfTools
{
    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{tool} failed: {await error}");
        return await output;
    }

    /// <summary>The text layer of a PDF (pdftotext -layout).</summary>
    public static Task<string> TextAsync(string pdf) => RunAsync("pdftotext", "-layout", pdf, "-");

    /// <summary>The page count pdfinfo reads.</summary>
    public static async Task<int> PagesAsync(string pdf)
    {
        var info = await RunAsync("pdfinfo", pdf);
        var line = info.Split('\n').Single(l => l.StartsWith("Pages:", StringComparison.Ordinal));
        return int.Parse(line["Pages:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A fresh folder per test, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("barrio-printing-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
