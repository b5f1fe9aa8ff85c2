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
/// how far ProjNet lands from PROJ. Each peer interleaved with ours (A B A B), the median ratio with its spread, memory
/// with time (cs2cs: its peak resident set). No speed target: a report.
/// </summary>
public sealed class CrsBenchmark : IBenchmark
{
    private const int Points = 1_000_000;

    public string Name => "crs";

    public string Summary => "A million points 4326 -> 24877 / 32717: PROJ (ours) vs the old ProjNet path and cs2cs";

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var (lon, lat) = Grid();
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"crs: {Points:N0} points over Peru, PROJ {Crs.ProjVersion} (libproj); ours and each peer interleaved, {options.Runs} pair(s) after a warm-up (cs2cs: one pair)"));
        foreach (var target in new[] { 24877, 32717 })
        {
            ct.ThrowIfCancellationRequested();
            context.Out.WriteLine($"EPSG:4326 -> EPSG:{target} ({Crs.NameOf(target)})");
            double[] xs = [], ys = [];
            Task Ours()
            {
                xs = (double[])lon.Clone();
                ys = (double[])lat.Clone();
                Crs.Transform(xs, ys, Crs.Wgs84, target);
                return Task.CompletedTask;
            }
            var old = OldProjNet(target);
            double[] px = [], py = [];
            var projNet = await BenchTiming.InterleaveAsync(options.Runs, Ours, () =>
            {
                px = (double[])lon.Clone();
                py = (double[])lat.Clone();
                for (var i = 0; i < Points; i++) old.Transform(ref px[i], ref py[i]);
                return Task.CompletedTask;
            });
            var worst = Enumerable.Range(0, Points).Max(i => Math.Sqrt(Math.Pow(px[i] - xs[i], 2) + Math.Pow(py[i] - ys[i], 2)));
            context.Out.WriteLine(BenchTiming.Line("ours (PROJ, arrays)", projNet.Ours, PerMillion(projNet.Ours)));
            context.Out.WriteLine(BenchTiming.Line("old ProjNet path", projNet.Peer,
                $"{PerMillion(projNet.Peer)}; up to {worst.ToString("0.###", CultureInfo.InvariantCulture)} m from PROJ"));
            context.Out.WriteLine(projNet.RatioText("ProjNet"));
            options.Verdicts.Judge(context, Name, $"1M points -> {target}, vs ProjNet", projNet, "none (a report)", null,
                string.Create(CultureInfo.InvariantCulture, $"ProjNet up to {worst:0.###} m from PROJ"));

            // Our second path, one geometry of a million points: no peer of its own, beside the arrays above.
            var line = new GeometryFactory(new PrecisionModel(), Crs.Wgs84).CreateLineString(
                lon.Zip(lat, (x, y) => new Coordinate(x, y)).ToArray());
            var geometry = await BenchTiming.RepeatAsync(options.Runs, () =>
            {
                Crs.Transform(line, Crs.Wgs84, target);
                return Task.CompletedTask;
            });
            context.Out.WriteLine(BenchTiming.Line("ours (PROJ, one geometry)", geometry, PerMillion(geometry)));

            if (options.Quick) continue;
            // cs2cs takes seconds a run: one pair, no warm-up (the arrays are warm from above).
            var cs2cs = await BenchTiming.InterleaveAsync(1, async () => { await Ours(); return (long?)null; }, () => Task.FromResult(Cs2cs(lon, lat, target)), warmups: 0);
            context.Out.WriteLine(BenchTiming.Line("ours (PROJ, arrays)", cs2cs.Ours, PerMillion(cs2cs.Ours)));
            context.Out.WriteLine(BenchTiming.Line("cs2cs (process, text)", cs2cs.Peer, $"{PerMillion(cs2cs.Peer)} (one run)"));
            context.Out.WriteLine(cs2cs.RatioText("cs2cs"));
            options.Verdicts.Judge(context, Name, $"1M points -> {target}, vs cs2cs", cs2cs, "none (a report)", null);
        }
        return ExitCodes.Ok;
    }

    private static string PerMillion(IReadOnlyList<BenchTiming.Sample> samples) =>
        string.Create(CultureInfo.InvariantCulture, $"{BenchTiming.MedianMs(samples) * 1_000_000 / Points:N0} ms per million points");

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
    // Returns cs2cs's peak resident set, polled while it runs.
    private static long? Cs2cs(double[] lon, double[] lat, int target)
    {
        var psi = new ProcessStartInfo("cs2cs", ["-f", "%.4f", "EPSG:4326", $"EPSG:{target}"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new CommandFailedException("cs2cs not found: install the Debian package proj-bin", e); }
        using (process)
        {
            var lines = 0;
            long? peak = null;
            var reader = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is not null) lines++;
            });
            var poller = Task.Run(async () =>
            {
                while (!reader.IsCompleted)
                {
                    peak = BenchTiming.PeakResidentBytes(process.Id) ?? peak;
                    await Task.Delay(20);
                }
            });
            var writer = process.StandardInput;
            for (var i = 0; i < lon.Length; i++)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lat[i]:R} {lon[i]:R}"));
            writer.Close();
            reader.GetAwaiter().GetResult();
            poller.GetAwaiter().GetResult();
            process.WaitForExit();
            if (process.ExitCode != 0 || lines != lon.Length)
                throw new CommandFailedException($"cs2cs EPSG:4326 EPSG:{target} exited {process.ExitCode} after {lines:N0} of {lon.Length:N0} points");
            return peak;
        }
    }
}
