using System.Diagnostics;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests;

/// <summary>GDAL's command-line tools (ogrinfo, ogr2ogr), the independent readers of what the service sends.</summary>
public static class GdalTool
{
    /// <summary>Runs the tool with the arguments and gives its standard output; a failure (or a missing gdal-bin) fails the test.</summary>
    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} (package gdal-bin) is needed.");
        // Both streams read at once: a tool that fills one pipe while we wait on the other would never end.
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed: {await error}");
        return await output;
    }

    public static string Run(string tool, params string[] args) => RunAsync(tool, args).GetAwaiter().GetResult();
}
