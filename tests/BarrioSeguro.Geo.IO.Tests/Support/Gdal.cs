using System.Diagnostics;

namespace BarrioSeguro.Geo.IO.Tests.Support;

/// <summary>
/// Runs GDAL's command-line tools against what we wrote: GDAL is what QGIS and most desktop GIS read files with.
/// These tests require gdal-bin (./barrio test installs it); a missing ogrinfo fails the test, it never skips.
/// </summary>
public static class Gdal
{
    public static string OgrInfo(params string[] args) => Run("ogrinfo", args);

    /// <summary>Runs a GDAL tool (ogrinfo, ogr2ogr) with the arguments; its stdout and stderr, or a failure naming both.</summary>
    internal static string Run(string tool, string[] args)
    {
        var exe = new[] { $"/usr/bin/{tool}", $"/usr/local/bin/{tool}" }.FirstOrDefault(File.Exists)
                  ?? throw new Xunit.Sdk.XunitException($"{tool} not found: install gdal-bin (apt-get install gdal-bin) to run the GDAL checks");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new Xunit.Sdk.XunitException($"{tool} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}{stdout.Result}");
        return stdout.Result + stderr.Result;
    }
}

/// <summary>GDAL's ogr2ogr, the oracle for where QGIS puts a file's features (it transforms through PROJ as QGIS does).</summary>
public static class Ogr2Ogr
{
    public static void Run(params string[] args) => Gdal.Run("ogr2ogr", args);

    /// <summary>Every coordinate pair of a GeoJSON file GDAL wrote, in file order (x first, as GDAL writes GeoJSON).</summary>
    public static List<(double X, double Y)> Coordinates(string geoJsonPath)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(geoJsonPath));
        var result = new List<(double, double)>();
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
            Walk(f.GetProperty("geometry").GetProperty("coordinates"), result);
        return result;
    }

    private static void Walk(System.Text.Json.JsonElement e, List<(double, double)> into)
    {
        if (e[0].ValueKind == System.Text.Json.JsonValueKind.Number) into.Add((e[0].GetDouble(), e[1].GetDouble()));
        else foreach (var c in e.EnumerateArray()) Walk(c, into);
    }
}
