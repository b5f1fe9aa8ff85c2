using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.IO.Gpx;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Network;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Planning.Routes;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;
using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>Coverage asked of a kept plan: travel mode, time threshold, and where the units stand.</summary>
/// <param name="Units">
/// sectors (default): one unit per sector at its centre, as many as each shift has; stations: the police stations in and
/// around the neighbourhood; routes: each kept route's unit where it is <paramref name="AtMinute"/> minutes into the shift.
/// </param>
public sealed record CoverageRequest(string Mode = "foot", double Minutes = 10, string? Units = null, double? AtMinute = null);

/// <summary>Routes asked of a kept plan: one per sector for the named shift (a shift code, default the contingent's first).</summary>
/// <param name="ShiftStart">When the shift starts, Lima time HH:mm (default 06:00 on 2025-01-01, so a seed always gives the same GPX).</param>
/// <param name="BreakMinutes">The break within the shift (not patrol time).</param>
/// <param name="HandoverMinutes">The hand-over, half at the start and half at the end (not patrol time).</param>
/// <param name="CycleDays">Days of the coverage cycle; its shifts are the contingent's (else mañana, tarde, noche).</param>
public sealed record RouteRequest(
    string Mode = "foot", double ShiftHours = 8, string? Shift = null, int Seed = 1, int HotspotsPerSector = 3, string? ShiftStart = null,
    double BreakMinutes = 30, double HandoverMinutes = 15, int CycleDays = 7);

/// <summary>Coverage and patrol routes of a kept sector plan, computed on the street network and kept with the plan.</summary>
public static class NetworkEndpoints
{
    public static IEndpointRouteBuilder MapNetwork(this IEndpointRouteBuilder app)
    {
        var p = app.MapGroup("/api/plans").WithTags("Coverage and routes");
        p.MapPost("/{planId:int}/coverage", ComputeCoverage).MayRefuse().ReadsKeptReports()
            .WithSummary("Coverage per shift of the contingent (units at the sector centres): {\"mode\": \"foot|bike|moto|car\", \"minutes\": 10}. Street km, blocks and incident weight covered, backup (two units), per sector.");
        p.MapGet("/{planId:int}/coverage", ListCoverage).ReadsKeptReports().WithSummary("The kept coverage computations of a plan.");
        p.MapPost("/{planId:int}/routes", ComputeRoutes).MayRefuse().ReadsKeptReports()
            .WithSummary("One patrol route per sector for a shift, within its patrol time: {\"mode\": \"foot\", \"shiftHours\": 8, \"shift\": \"mañana\", \"seed\": 1, \"breakMinutes\": 30, \"handoverMinutes\": 15, \"cycleDays\": 7}. Hot-spot stops of 10-15 min at least every 2 h, preventive patrol by priority, and the coverage cycle (day × shift → route) that walks every reachable street.");
        p.MapGet("/{planId:int}/routes", ListRoutes).MayRefuse().ReadsKeptReports()
            .WithSummary("The kept routes of a plan as GeoJSON: tracks and stops; ?day=N&shift=S (and optionally &mode=) the routes of that calendar entry of the cycle.");
        p.MapGet("/{planId:int}/routes/cycle", ListCycles).ReadsKeptReports()
            .WithSummary("The coverage cycles of a plan's kept routes, per shift and mode: per sector the shifts a full pass takes, whether the cycle covers it, and the calendar.");
        app.MapGet("/api/coverages/{id:int}/pieces", CoveragePieces).WithTags("Coverage and routes")
            .WithSummary("Covered, backup and uncovered street pieces of a coverage computation inside the neighbourhood, and the streets outside it (status outside), as GeoJSON.");
        app.MapGet("/api/routes/{id:int}/gpx", RouteGpx).WithTags("Coverage and routes").WithSummary("A route as a GPX 1.1 file.")
            .Produces(StatusCodes.Status200OK, contentType: "application/gpx+xml");
        return app;
    }

    public sealed record CoverageView(int Id, int PlanId, string Mode, double Minutes, string Shift, int Units, CoverageReport Report);

    public sealed record RouteView(int Id, int PlanId, int Sector, string Shift, string Mode, int Seed, RouteReport Report);

    /// <summary>The answer of POST .../routes: the kept routes, the notes of the computation (sectors skipped), the patrol time and the cycle.</summary>
    public sealed record RoutesView(
        IReadOnlyList<RouteView> Routes, IReadOnlyList<Note> Notes, IReadOnlyList<SkippedSector> Skipped, double PatrolMinutes, double BreakMinutes,
        double HandoverMinutes, CycleReport? Cycle);

    /// <summary>A kept cycle: the shift and mode its routes were computed for, and the cycle of each sector.</summary>
    public sealed record CycleView(string Shift, string Mode, IReadOnlyList<SectorCycleReport> Sectors);

    /// <summary>An unknown mode, minutes out of range or units that cannot stand (no kept route yet) are Core's refusals:
    /// the global 422 of <see cref="ApiErrors"/>.</summary>
    public static async Task<Results<Created<List<CoverageView>>, NotFoundProblem>> ComputeCoverage(
        int planId, CoverageRequest request, PlanStore plans, CoverageStore coverages, HttpContext http, CancellationToken ct)
    {
        // Where the time goes, for `barrio bench coverage` and a browser's network panel (Server-Timing).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var input = await plans.NetworkInputAsync(planId, request.Mode, ct);
        if (input is null) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        var loaded = clock.Elapsed.TotalMilliseconds;
        var outcomes = PlanNetworkCoverage.Compute(input, request.Units, request.Minutes, request.AtMinute);
        var computed = clock.Elapsed.TotalMilliseconds;
        List<KeptCoverage> kept;
        var phases = new List<(string Phase, double Ms)>();
        try
        {
            kept = await coverages.AddAsync(planId, outcomes, ct, (phase, ms) => phases.Add((phase, ms)));
        }
        finally
        {
            // What is kept is read out: the search arrays go back to the graph kept for the next request.
            foreach (var o in outcomes) o.Result.Dispose();
        }
        var done = clock.Elapsed.TotalMilliseconds;
        http.Response.Headers["Server-Timing"] = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"input;dur={loaded:0.0}, search;dur={computed - loaded:0.0}, {string.Join(", ", phases.Select(p => FormattableString.Invariant($"{p.Phase};dur={p.Ms:0.0}")))}, keep;dur={done - computed:0.0}");
        return TypedResults.Created($"/api/plans/{planId}/coverage", kept.Select(View).ToList());
    }

    public static async Task<Results<Ok<List<CoverageView>>, NotFoundProblem>> ListCoverage(
        int planId, PlanStore plans, CoverageStore coverages, CancellationToken ct)
    {
        if (!await plans.ExistsAsync(planId, ct)) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        return TypedResults.Ok((await coverages.ListAsync(planId, ct)).Select(View).ToList());
    }

    private static CoverageView View(KeptCoverage c) => new(c.Id, c.PlanId, c.Mode, c.Minutes, c.Shift, c.Units, c.Report);

    public static async Task<Results<GeoJsonFeatureCollection, NotFoundProblem>> CoveragePieces(int id, CoverageStore coverages, CancellationToken ct)
    {
        var c = await coverages.PiecesAsync(id, ct);
        if (c is null) return Problems.NotFound(Note.Of("api.no_coverage", ("coverage", id)));
        var features = CoverageFeatures(c);
        return GeoJson.FeatureCollection(features, features.Count, []);
    }

    /// <summary>A computation's pieces as features by status (covered, backup, uncovered inside the neighbourhood;
    /// outside: the streets beyond it, whatever reaches them); <paramref name="coverageId"/> adds its id to each.</summary>
    public static List<IFeature> CoverageFeatures(CoveragePieces c, int? coverageId = null)
    {
        Feature Piece(Geometry g, string status)
        {
            var a = new AttributesTable();
            if (coverageId is { } cid) a.Add("coverageId", cid);
            a.Add("status", status);
            a.Add("shift", c.Shift);
            a.Add("mode", c.Mode);
            a.Add("minutes", c.Minutes);
            return new Feature(g, a);
        }
        return [Piece(c.Covered, "covered"), Piece(c.Backup, "backup"), Piece(c.Uncovered, "uncovered"), Piece(c.Outside, "outside")];
    }

    /// <summary>An unknown mode or shift hours out of range are Core's refusals: the global 422 of <see cref="ApiErrors"/>.
    /// A bad shiftStart and a plan no sector of which can be routed are said here.</summary>
    public static async Task<Results<Created<RoutesView>, NotFoundProblem, UnprocessableProblem>> ComputeRoutes(
        int planId, RouteRequest request, PlanStore plans, RouteStore routes, CancellationToken ct)
    {
        var input = await plans.NetworkInputAsync(planId, request.Mode, ct, withBlocks: false);
        if (input is null) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        var shift = RouteShift.Default(request.ShiftHours, request.Shift ?? input.Staffing?.PerShift.FirstOrDefault().Shift, request.Seed) with
        {
            BreakMinutes = request.BreakMinutes,
            HandoverMinutes = request.HandoverMinutes,
            CycleDays = request.CycleDays,
            CycleShifts = input.Staffing?.PerShift.Select(x => x.Shift).ToList(),
        };
        if (request.ShiftStart is { } start)
        {
            if (!TimeOnly.TryParseExact(start, ["H:mm", "HH:mm"], out var clock))
                return Problems.Unprocessable("No route", Note.Of("api.shift_start_not_time", ("value", start)));
            shift = shift with { ShiftStart = LimaTime.At(DateOnly.FromDateTime(RouteShift.DefaultStart.DateTime), clock) };
        }
        var sectors = input.Sectors.Select(s => new RouteSector(SectorLabel.Of(s.Sector), s.Polygon,
            RoutePlanning.HotspotsFrom(input.Incidents, s.Polygon, request.HotspotsPerSector), Number: s.Sector, Incidents: input.Incidents)).ToList();
        // A full pass is also counted on foot and by bike, whatever the mode of the routes.
        var passModes = new List<Core.Network.StreetGraph>();
        foreach (var other in new[] { "foot", "bike" }.Where(m => m != outcomeMode(input)))
            if (await plans.NetworkInputAsync(planId, other, ct, withBlocks: false) is { } o) passModes.Add(o.Graph);
        var outcome = RoutePlanning.Plan(input.Graph, sectors, shift, passModes: passModes);
        if (outcome.Routes.Count == 0)
            return Problems.Unprocessable("No route", Note.Of("api.no_route_for_any", ("reasons", outcome.Report.Skipped.Select(s => s.Note?.ToString() ?? s.Reason).ToArray())),
                new Dictionary<string, object?> { ["skipped"] = outcome.Report.Skipped });
        static byte[] Gpx(Core.Routes.PatrolRoute route)
        {
            using var gpx = new MemoryStream();
            GpxWriter.Write(gpx, route);
            return gpx.ToArray();
        }
        var toKeep = outcome.Routes.Select(r => new RouteToKeep(r.Sector.Number!.Value, r, Gpx(r.Route.Route), r.Entries.Select(e => Gpx(e.Route.Route)).ToList())).ToList();
        var kept = await routes.ReplaceAsync(planId, shift.Shift, outcome.Report.Mode, request.Seed, toKeep, ct);
        var report = outcome.Report;
        // The kept calendars name each entry's route.
        var cycle = report.Cycle is { } c ? c with { Sectors = kept.Select(k => k.Report.Cycle).OfType<SectorCycleReport>().ToList() } : null;
        return TypedResults.Created($"/api/plans/{planId}/routes",
            new RoutesView(kept.Select(View).ToList(), report.Notes, report.Skipped, report.PatrolMinutes, report.BreakMinutes, report.HandoverMinutes, cycle));

        static string outcomeMode(PlanNetworkInput i) => Core.Network.TravelModes.Name(i.Graph.Mode);
    }

    /// <summary>The cycles kept with the routes (each kept route carries its sector's cycle), by shift and mode.</summary>
    public static async Task<Results<Ok<List<CycleView>>, NotFoundProblem>> ListCycles(int planId, PlanStore plans, RouteStore routes, CancellationToken ct)
    {
        if (!await plans.ExistsAsync(planId, ct)) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        return TypedResults.Ok((await routes.ListAsync(planId, ct))
            .GroupBy(r => (r.Row.Shift, r.Row.Mode))
            .Select(g => new CycleView(g.Key.Shift, g.Key.Mode, g.OrderBy(r => r.Row.Sector).Select(r => r.Report.Cycle).OfType<SectorCycleReport>().ToList()))
            .ToList());
    }

    private static RouteView View(KeptRoute r) => new(r.Row.Id, r.Row.PlanId, r.Row.Sector, r.Row.Shift, r.Row.Mode, r.Row.Seed, r.Report);

    /// <summary>
    /// The kept routes asked for (day 1 of each computation's shift), or with <paramref name="day"/> and
    /// <paramref name="shift"/> the routes of that calendar entry (optionally of one <paramref name="mode"/>), as GeoJSON.
    /// Feature kinds as in the CLI's routes file (<see cref="RouteGeoJson"/>); a track's <c>shift</c> and <c>day</c> are its entry's.
    /// </summary>
    public static async Task<Results<GeoJsonFeatureCollection, NotFoundProblem, UnprocessableProblem>> ListRoutes(
        int planId, PlanStore plans, RouteStore routes, CancellationToken ct, int? day = null, string? shift = null, string? mode = null)
    {
        if (!await plans.ExistsAsync(planId, ct)) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        var (list, problem) = await RoutesAskedAsync(planId, routes, ct, day, shift, mode);
        if (problem is not null) return problem;
        var features = RouteFeatures(list!);
        return GeoJson.FeatureCollection(features, features.Count, []);
    }

    /// <summary>The kept routes GET .../routes and the plan's export give: day 1 of each computation, or one calendar
    /// entry (<paramref name="day"/> with <paramref name="shift"/>, optionally of one <paramref name="mode"/>).</summary>
    public static async Task<(List<KeptRoute>? Routes, UnprocessableProblem? Problem)> RoutesAskedAsync(
        int planId, RouteStore routes, CancellationToken ct, int? day, string? shift, string? mode)
    {
        if ((day is null) != string.IsNullOrWhiteSpace(shift))
            return (null, Problems.Unprocessable("No route", Note.Of("api.day_shift_together")));
        if (day is < 1 or > RoutePlanning.MaxCycleDays)
            return (null, Problems.Unprocessable("No route", Note.Of("api.day_range", ("max", RoutePlanning.MaxCycleDays), ("day", day!.Value))));
        return (day is { } d ? await routes.EntryAsync(planId, d, Shifts.Code(shift!), mode, ct) : await routes.ListAsync(planId, ct), null);
    }

    /// <summary>Kept routes as features: a track per route and a point per stop (see <see cref="ListRoutes"/>).</summary>
    public static List<IFeature> RouteFeatures(IEnumerable<KeptRoute> list)
    {
        var features = new List<IFeature>();
        foreach (var (row, report) in list)
        {
            features.Add(new Feature(row.Track, new AttributesTable
            {
                { "routeId", row.Id }, { "kind", RouteGeoJson.TrackKind }, { "sector", row.Sector }, { "label", report.Sector }, { "shift", row.CycleShift },
                { "day", row.CycleDay }, { "computedFor", row.Shift }, { "name", report.Name },
                { "mode", row.Mode }, { "seed", row.Seed }, { "lengthKm", report.LengthKm }, { "durationMin", report.DurationMin },
                { "deadheadPct", report.DeadheadPct }, { "streetsCoveredPct", report.StreetsCoveredPct }, { "gpx", $"/api/routes/{row.Id}/gpx" },
            }));
            for (var i = 0; i < row.Stops.NumGeometries; i++)
                features.Add(new Feature(row.Stops.GetGeometryN(i), new AttributesTable
                {
                    { "routeId", row.Id }, { "kind", RouteGeoJson.StopKind }, { "sector", row.Sector }, { "shift", row.CycleShift }, { "day", row.CycleDay },
                    { "stop", i + 1 },
                }));
        }
        return features;
    }

    public static async Task<Results<FileContentHttpResult, NotFoundProblem>> RouteGpx(int id, RouteStore routes, CancellationToken ct) =>
        await routes.GpxAsync(id, ct) is { } r
            ? TypedResults.File(r.Gpx, "application/gpx+xml", $"ruta_{SectorLabel.Of(r.Sector)}_{r.Shift}{(r.Day > 1 ? $"_dia{r.Day}" : "")}.gpx")
            : Problems.NotFound(Note.Of("api.no_route", ("route", id)));
}
