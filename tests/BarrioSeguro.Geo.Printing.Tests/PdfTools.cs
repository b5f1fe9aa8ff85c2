using System.Diagnostics;

namespace BarrioSeguro.Geo.Printing.Tests;

/// <summary>Reads a PDF back with poppler-utils (pdftotext, pdftoppm, pdfinfo), as a reader's viewer would.</summary>
public static partial class PdfTools
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

/// <summary>A word of a PDF page as poppler places it: page (from 1), its box in points from the page's top left, its text.</summary>
public sealed record PdfWord(int Page, SkiaSharp.SKRect Box, string Text);

public static partial class PdfTools
{
    /// <summary>Every word with its box (pdftotext -bbox).</summary>
    public static async Task<List<PdfWord>> WordsAsync(string pdf)
    {
        var html = await RunAsync("pdftotext", "-bbox", pdf, "-");
        var words = new List<PdfWord>();
        var page = 0;
        foreach (var line in html.Split('\n'))
        {
            if (line.Contains("<page ", StringComparison.Ordinal)) page++;
            var m = WordLine().Match(line);
            if (!m.Success) continue;
            float F(int g) => float.Parse(m.Groups[g].Value, System.Globalization.CultureInfo.InvariantCulture);
            words.Add(new PdfWord(page, new SkiaSharp.SKRect(F(1), F(2), F(3), F(4)), System.Net.WebUtility.HtmlDecode(m.Groups[5].Value)));
        }
        return words;
    }

    [System.Text.RegularExpressions.GeneratedRegex("""<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>""")]
    private static partial System.Text.RegularExpressions.Regex WordLine();
}

/// <summary>A fresh folder per test, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("barrio-printing-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
