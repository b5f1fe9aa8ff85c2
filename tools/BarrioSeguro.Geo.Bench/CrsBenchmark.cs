using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// A million points spread over Peru moved from EPSG:4326 to PSAD56 / UTM 17S (EPSG:24877) and to WGS 84 / UTM 17S
/// (EPSG:32717): ours (PROJ through libproj, <see cref="Crs"/>) side by side with the ProjNet path the service used
/// before (its hand-written PSAD56 datum shift) and with cs2cs (PROJ's own command line, text in and out). Also says
/// how far ProjNet lands from PROJ. No speed target: a report.
/// </summary>
public sealed class CrsBenchmark : IBenchmark
{
    private const int Points = 1_000_000;

    public string Name => "crs";

    public string Summary => "A million points 4326 -> 24877 / 32717: PROJ (ours) vs the old ProjNet path and cs2cs";

    public Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var (lon, lat) = Grid();
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"crs: {Points:N0} points over Peru, PROJ {Crs.ProjVersion} (libproj), {options.Runs} runs after a warm-up"));
        foreach (var target in new[] { 24877, 32717 })
        {
            context.Out.WriteLine($"EPSG:4326 -> EPSG:{target} ({Crs.NameOf(target)})");
            double[] xs = [], ys = [];
            var ours = BenchTiming.TimeAsync(options.Runs, () =>
            {
                xs = (double[])lon.Clone();
                ys = (double[])lat.Clone();
                Crs.Transform(xs, ys, Crs.Wgs84, target);
                return Task.CompletedTask;
            }).GetAwaiter().GetResult();
            context.Out.WriteLine(BenchTiming.Line("ours (PROJ, arrays)", ours, PerMillion(ours)));

            var line = new GeometryFactory(new PrecisionModel(), Crs.Wgs84).CreateLineString(
                lon.Zip(lat, (x, y) => new Coordinate(x, y)).ToArray());
            var geometry = BenchTiming.TimeAsync(options.Runs, () =>
            {
                Crs.Transform(line, Crs.Wgs84, target);
                return Task.CompletedTask;
            }).GetAwaiter().GetResult();
            context.Out.WriteLine(BenchTiming.Line("ours (PROJ, one geometry)", geometry, PerMillion(geometry)));

            var old = OldProjNet(target);
            double[] px = [], py = [];
            var projNet = BenchTiming.TimeAsync(options.Runs, () =>
            {
                px = (double[])lon.Clone();
                py = (double[])lat.Clone();
                for (var i = 0; i < Points; i++) old.Transform(ref px[i], ref py[i]);
                return Task.CompletedTask;
            }).GetAwaiter().GetResult();
            var worst = Enumerable.Range(0, Points).Max(i => Math.Sqrt(Math.Pow(px[i] - xs[i], 2) + Math.Pow(py[i] - ys[i], 2)));
            context.Out.WriteLine(BenchTiming.Line("old ProjNet path", projNet,
                $"{PerMillion(projNet)}, {Ratio(projNet, ours)}; up to {worst.ToString("0.###", CultureInfo.InvariantCulture)} m from PROJ"));

            if (options.Quick) continue;
            var cs2cs = Cs2cs(lon, lat, target);
            context.Out.WriteLine(BenchTiming.Line("cs2cs (process, text)", [cs2cs], $"{PerMillion([cs2cs])}, {Ratio([cs2cs], ours)} (one run)"));
        }
        return Task.FromResult(ExitCodes.Ok);
    }

    private static string PerMillion(IReadOnlyList<double> ms) =>
        string.Create(CultureInfo.InvariantCulture, $"{BenchTiming.Median(ms) * 1_000_000 / Points:N0} ms per million points");

    private static string Ratio(IReadOnlyList<double> peer, IReadOnlyList<double> ours) =>
        string.Create(CultureInfo.InvariantCulture, $"ours {BenchTiming.Median(peer) / BenchTiming.Median(ours):0.0}x as fast");

    // 1,000 x 1,000 points over Peru's bounding box (every UTM zone of the country).
    private static (double[] Lon, double[] Lat) Grid()
    {
        var lon = new double[Points];
        var lat = new double[Points];
        for (var i = 0; i < 1000; i++)
            for (var j = 0; j < 1000; j++)
            {
                lon[i * 1000 + j] = -81.3 + 12.6 * i / 999.0;
                lat[i * 1000 + j] = -18.3 + 18.2 * j / 999.0;
            }
        return (lon, lat);
    }

    // The transformation Core used before PROJ: ProjNet, with PSAD56 given TOWGS84[-288,175,-376] by hand.
    private static MathTransform OldProjNet(int target)
    {
        var factory = new CoordinateSystemFactory();
        CoordinateSystem system = target == 32717
            ? ProjectedCoordinateSystem.WGS84_UTM(17, false)
            : (CoordinateSystem)factory.CreateFromWkt(
                "PROJCS[\"PSAD56 / UTM zone 17S\",GEOGCS[\"PSAD56\",DATUM[\"Provisional_South_American_Datum_1956\"," +
                "SPHEROID[\"International 1924\",6378388,297],TOWGS84[-288,175,-376,0,0,0,0]],PRIMEM[\"Greenwich\",0]," +
                "UNIT[\"degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"4248\"]],PROJECTION[\"Transverse_Mercator\"]," +
                "PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",-81],PARAMETER[\"scale_factor\",0.9996]," +
                "PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",10000000],UNIT[\"metre\",1],AUTHORITY[\"EPSG\",\"24877\"]]");
        return new CoordinateTransformationFactory().CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, system).MathTransform;
    }

    // cs2cs reads latitude first for EPSG:4326; the time includes formatting and parsing the text, as a script would.
    private static double Cs2cs(double[] lon, double[] lat, int target)
    {
        var psi = new ProcessStartInfo("cs2cs", ["-f", "%.4f", "EPSG:4326", $"EPSG:{target}"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var clock = Stopwatch.StartNew();
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new CommandFailedException("cs2cs not found: install the Debian package proj-bin", e); }
        using (process)
        {
            var lines = 0;
            var reader = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is not null) lines++;
            });
            var writer = process.StandardInput;
            for (var i = 0; i < lon.Length; i++)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lat[i]:R} {lon[i]:R}"));
            writer.Close();
            reader.GetAwaiter().GetResult();
            process.WaitForExit();
            if (process.ExitCode != 0 || lines != lon.Length)
                throw new CommandFailedException($"cs2cs EPSG:4326 EPSG:{target} exited {process.ExitCode} after {lines:N0} of {lon.Length:N0} points");
        }
        return clock.Elapsed.TotalMilliseconds;
    }
}
