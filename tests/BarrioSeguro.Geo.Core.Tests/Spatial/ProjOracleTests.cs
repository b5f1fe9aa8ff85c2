using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Core.Spatial;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Spatial;

/// <summary>
/// Our transformations against Debian's cs2cs (package proj-bin), run as a process: points spread over all of Peru,
/// EPSG:4326 to and from each Peruvian system, within 1 cm (1 mm where no datum changes: WGS 84 / UTM, Web Mercator).
/// </summary>
public class ProjOracleTests
{
    /// <summary>A grid over Peru's bounding box (every UTM zone 17S, 18S, 19S) plus the country's extreme points and corners.</summary>
    public static readonly IReadOnlyList<(double Lon, double Lat)> Peru = Grid().Concat(
    [
        (-75.197, -0.039), // north: Güeppí
        (-70.375, -18.351), // south: Concordia
        (-81.327, -4.670), // west: Punta Pariñas
        (-68.652, -12.500), // east: Río Heath
        (-81.327, -18.351), (-68.652, -18.351), (-81.327, -0.039), (-68.652, -0.039), // bounding box corners
        (-79.0663893, -8.0233466), // El Milagro, Trujillo
    ]).ToList();

    private static IEnumerable<(double, double)> Grid()
    {
        for (var i = 0; i < 9; i++)
            for (var j = 0; j < 9; j++)
                yield return (-81.2 + 1.5 * i, -18.2 + 2.25 * j);
    }

    public static TheoryData<int> Systems => new() { 24877, 24878, 24879, 31977, 31978, 31979, 32717, 32718, 32719, 3857, 4248, 5373, 5387 };

    [Theory]
    [MemberData(nameof(Systems))]
    public void From_WGS84_agrees_with_cs2cs(int epsg)
    {
        var expected = Cs2cs(Crs.Wgs84, epsg, Peru);
        var ours = Ours(Crs.Wgs84, epsg, Peru);
        AssertClose(epsg, expected, ours, ToleranceMetres(epsg), $"EPSG:4326 -> EPSG:{epsg}");
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public void To_WGS84_agrees_with_cs2cs(int epsg)
    {
        var inputs = Cs2cs(Crs.Wgs84, epsg, Peru); // positions in the system, as PROJ puts Peru there
        var expected = Cs2cs(epsg, Crs.Wgs84, inputs);
        var ours = Ours(epsg, Crs.Wgs84, inputs);
        AssertClose(Crs.Wgs84, expected, ours, ToleranceMetres(epsg), $"EPSG:{epsg} -> EPSG:4326");
    }

    [Fact]
    public void Geometries_move_as_points_do()
    {
        var factory = new NetTopologySuite.Geometries.GeometryFactory(new NetTopologySuite.Geometries.PrecisionModel(), Crs.Wgs84);
        var line = factory.CreateLineString(Peru.Select(p => new NetTopologySuite.Geometries.Coordinate(p.Lon, p.Lat)).ToArray());
        var moved = Crs.Transform(line, Crs.Wgs84, 24877);
        var expected = Cs2cs(Crs.Wgs84, 24877, Peru);
        AssertClose(24877, expected, moved.Coordinates.Select(c => (c.X, c.Y)).ToList(), 0.01, "LineString EPSG:4326 -> EPSG:24877");
    }

    private static double ToleranceMetres(int epsg) => epsg is >= 32717 and <= 32719 or 3857 ? 0.001 : 0.01;

    private static List<(double X, double Y)> Ours(int from, int to, IReadOnlyList<(double X, double Y)> points)
    {
        var xs = points.Select(p => p.X).ToArray();
        var ys = points.Select(p => p.Y).ToArray();
        Crs.Transform(xs, ys, from, to);
        return xs.Zip(ys).ToList();
    }

    private static void AssertClose(int targetEpsg, IReadOnlyList<(double X, double Y)> expected, IReadOnlyList<(double X, double Y)> actual,
        double tolerance, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        var geographic = Crs.IsGeographic(targetEpsg);
        var worst = expected.Zip(actual, (e, a) =>
        {
            var dx = a.X - e.X;
            var dy = a.Y - e.Y;
            // Degrees to metres on the ground (111.32 km per degree of latitude), for geographic results.
            var metres = geographic ? Math.Sqrt(Math.Pow(dx * 111_320 * Math.Cos(e.Y * Math.PI / 180), 2) + Math.Pow(dy * 111_320, 2)) : Math.Sqrt(dx * dx + dy * dy);
            return (metres, e, a);
        }).MaxBy(t => t.metres);
        Assert.True(worst.metres <= tolerance,
            $"{what}: {worst.metres:0.####} m apart at cs2cs {worst.e} vs ours {worst.a} (tolerance {tolerance} m)");
    }

    /// <summary>cs2cs with each system's own axis order (latitude first for EPSG geographic systems), given and returned as x = lon/easting.</summary>
    internal static List<(double X, double Y)> Cs2cs(int from, int to, IReadOnlyList<(double X, double Y)> points)
    {
        var fromLatFirst = Crs.IsGeographic(from);
        var toLatFirst = Crs.IsGeographic(to);
        var exe = File.Exists("/usr/bin/cs2cs") ? "/usr/bin/cs2cs"
            : throw new Xunit.Sdk.XunitException("cs2cs not found: install the Debian package proj-bin to run the PROJ checks");
        var psi = new ProcessStartInfo(exe, ["-f", "%.10f", $"EPSG:{from}", $"EPSG:{to}"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var (x, y) in points)
            process.StandardInput.WriteLine(fromLatFirst
                ? string.Create(CultureInfo.InvariantCulture, $"{y:R} {x:R}")
                : string.Create(CultureInfo.InvariantCulture, $"{x:R} {y:R}"));
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new Xunit.Sdk.XunitException($"cs2cs EPSG:{from} EPSG:{to} exited {process.ExitCode}: {stderr.Result}");
        var result = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var f = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            double a = double.Parse(f[0], CultureInfo.InvariantCulture), b = double.Parse(f[1], CultureInfo.InvariantCulture);
            return toLatFirst ? (b, a) : (a, b);
        }).ToList();
        Assert.Equal(points.Count, result.Count);
        return result;
    }
}
