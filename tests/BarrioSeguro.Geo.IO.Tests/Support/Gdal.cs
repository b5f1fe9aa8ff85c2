using System.Diagnostics;

namespace BarrioSeguro.Geo.IO.Tests.Support;

/// <summary>
/// Runs GDAL's command-line tools against what we wrote: GDAL is what QGIS and most desktop GIS read files with.
/// These tests require gdal-bin (./barrio test installs it); a missing ogrinfo fails the test, it never skips.
/// </summary>
public static class Gdal
{
    public static string OgrInfo(params string[] args)
    {
        var exe = new[] { "/usr/bin/ogrinfo", "/usr/local/bin/ogrinfo" }.FirstOrDefault(File.Exists)
                  ?? throw new Xunit.Sdk.XunitException("ogrinfo not found: install gdal-bin (apt-get install gdal-bin) to run the GDAL checks");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new Xunit.Sdk.XunitException($"ogrinfo {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result + stderr.Result;
    }
}
