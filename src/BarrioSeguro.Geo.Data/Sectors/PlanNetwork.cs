using System.Text.Json;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Incidents;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Routes;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>Coverage asked of a kept plan: travel mode, time threshold, and where the units stand.</summary>
/// <param name="Units">
/// sectors (default): one unit per sector at its centre, as many as each shift has; stations: the police stations in and
/// around the neighbourhood; routes: each kept route's unit where it is <paramref name="AtMinute"/> minutes into the shift.
/// </param>
public sealed record CoverageRequest(string Mode = "foot", double Minutes = 10, string? Units = null, double? AtMinute = null);

/// <summary>Routes asked of a kept plan: one per sector for the named shift.</summary>
public sealed record RouteRequest(string Mode = "foot", double ShiftHours = 8, string? Shift = null, int Seed = 1, int HotspotsPerSector = 3);

/// <summary>A kept plan with its neighbourhood and sectors, and the street graph around it for a travel mode.</summary>
public sealed record PlanContext(SectorPlan Plan, Neighborhood Neighborhood, IReadOnlyList<PlanSector> Sectors, StreetGraph Graph, Staffing? Staffing);

/// <summary>
/// Coverage and routes of a kept plan, computed on the stored streets around the neighbourhood (a margin of about
/// 500 m, so walks may leave the neighbourhood to reach its streets) and kept with the plan.
/// </summary>
public sealed class PlanNetwork(BarrioDbContext db)
{
    private const double MarginDegrees = 0.005;

    /// <summary>Loads the plan and builds the graph; null when the plan does not exist.</summary>
    /// <exception cref="ArgumentException">An unknown travel mode.</exception>
    public async Task<PlanContext?> LoadAsync(int planId, string mode, CancellationToken ct)
    {
        var travel = TravelModes.Parse(mode);
        var plan = await db.SectorPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null) return null;
        var n = await db.Neighborhoods.AsNoTracking().FirstAsync(x => x.Id == plan.NeighborhoodId, ct);
        var sectors = await db.PlanSectors.AsNoTracking().Where(s => s.PlanId == planId).OrderBy(s => s.Sector).ToListAsync(ct);
        var around = n.Boundary.EnvelopeInternal.Copy();
        around.ExpandBy(MarginDegrees);
        var streets = await db.Streets.Intersecting(s => s.Geometry, SpatialQueries.Box(around)).AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);
        var graph = StreetGraph.Build(streets.Select(s => new NetworkStreet(s.Geometry, s.Class, s.Layer, s.Oneway, s.Name)), travel);
        Staffing? staffing = null;
        if (plan.ContingentId is { } cid && await db.Contingents.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cid, ct) is { } c)
        {
            try { staffing = StaffingCalculator.Compute(SectorPlanner.PlanOf(c)); }
            catch (ArgumentException) { } // a contingent that cannot be staffed: coverage falls back to one unit per sector
        }
        return new PlanContext(plan, n, sectors, graph, staffing);
    }

    /// <summary>
    /// Coverage per shift: the units on duty stand at the sectors' centres (one per sector; a shift with fewer units than
    /// sectors leaves the last sectors without one, and says so). Keeps one row per shift.
    /// </summary>
    public async Task<List<PlanCoverage>> CoverageAsync(PlanContext context, CoverageRequest request, CancellationToken ct)
    {
        if (request.Minutes is <= 0 or > 240) throw new ArgumentException("minutes must be more than 0 and at most 240.");
        var placement = (request.Units ?? "sectors").ToLowerInvariant();
        List<(string Name, Point Place)> anchors;
        List<(string Shift, int Units)> shifts;
        switch (placement)
        {
            case "sectors":
                anchors = context.Sectors.Select(s => (Name: $"S{s.Sector + 1}", Place: (Point)s.Geometry.InteriorPoint)).ToList();
                shifts = context.Staffing?.PerShift.Select(p => (p.Shift, p.Units)).ToList() ?? [("todos", anchors.Count)];
                break;
            case "stations":
                var around = context.Neighborhood.Boundary.EnvelopeInternal.Copy();
                around.ExpandBy(MarginDegrees);
                anchors = (await db.Stations.Intersecting(s => s.Location, SpatialQueries.Box(around)).AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct))
                    .Select(s => (s.Name ?? $"comisaría {s.Id}", s.Location)).ToList();
                if (anchors.Count == 0) throw new ArgumentException("No police station lies in or within about 500 m of the neighbourhood.");
                shifts = [("todos", anchors.Count)];
                break;
            case "routes":
                (anchors, var routeShift) = await RoutePositionsAsync(context, request, ct);
                shifts = [(routeShift, anchors.Count)];
                break;
            default:
                throw new ArgumentException($"units must be sectors, stations or routes, not '{request.Units}'.");
        }
        var incidents = await db.Incidents.Intersecting(i => i.Location, context.Neighborhood.Boundary).AsNoTracking()
            .Select(i => i.Location).ToListAsync(ct);
        var rows = new List<PlanCoverage>();
        foreach (var (shift, units) in shifts)
        {
            var used = anchors.Take(Math.Max(1, Math.Min(units, anchors.Count))).ToList();
            var result = Coverage.Compute(context.Graph, used.Select(a => a.Place).ToList(), request.Minutes, new CoverageOptions
            {
                UnitNames = used.Select(a => a.Name).ToList(),
                IncidentsLonLat = incidents.Select(i => new WeightedPoint(i)).ToList(),
                // The neighbourhood first: the graph runs ~500 m beyond it, and its own figures are the headline.
                Sectors = context.Sectors.Select(s => new NamedArea($"S{s.Sector + 1}", s.Geometry))
                    .Prepend(new NamedArea(context.Neighborhood.Name, context.Neighborhood.Boundary)).ToList(),
            });
            var notes = result.Notes.ToList();
            if (placement == "sectors" && units < anchors.Count)
                notes.Add($"Shift {shift} has {units} unit(s) for {anchors.Count} sectors: sectors {string.Join(", ", anchors.Skip(units).Select(a => a.Name))} have none.");
            var report = new
            {
                mode = request.Mode, minutes = request.Minutes, shift, units = used.Count, placement,
                unitPlaces = used.Select(a => new { name = a.Name, lon = Math.Round(a.Place.X, 7), lat = Math.Round(a.Place.Y, 7) }),
                figures = result.Sectors[0].Figures,
                sectors = result.Sectors.Skip(1),
                networkFigures = result.Figures,
                unitsRefused = result.UnitsRefused.Select(u => new { u.Name, u.NearestStreetM }),
                componentsWithoutUnit = result.ComponentsWithoutUnit, kmWithoutUnit = Math.Round(result.KmWithoutUnit, 3),
                elapsedMs = Math.Round(result.ElapsedMs, 1), notes,
            };
            rows.Add(new PlanCoverage
            {
                PlanId = context.Plan.Id, Mode = request.Mode.ToLowerInvariant(), Minutes = request.Minutes, Shift = shift, Units = used.Count,
                CreatedAt = DateTimeOffset.UtcNow, ReportJson = JsonSerializer.Serialize(report, SectorPlanner.Json),
                Covered = Flat(result.CoveredPieces()), Uncovered = Flat(result.UncoveredPieces()), Backup = Flat(result.BackupPieces()),
            });
        }
        db.PlanCoverages.AddRange(rows);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return rows;
    }

    /// <summary>
    /// Where each kept route's unit is <see cref="CoverageRequest.AtMinute"/> minutes into the shift (default: half the
    /// route's duration): along the track at that share of its length (stops make this an approximation of a few
    /// hundred metres at most).
    /// </summary>
    private async Task<(List<(string Name, Point Place)> Places, string Shift)> RoutePositionsAsync(PlanContext context, CoverageRequest request, CancellationToken ct)
    {
        var routes = await db.PlanRoutes.AsNoTracking().Where(r => r.PlanId == context.Plan.Id && r.Mode == request.Mode.ToLowerInvariant())
            .OrderByDescending(r => r.Id).ToListAsync(ct);
        var latest = routes.GroupBy(r => r.Sector).Select(g => g.First()).OrderBy(r => r.Sector).ToList();
        if (latest.Count == 0)
            throw new ArgumentException($"Plan {context.Plan.Id} has no kept {request.Mode} routes: compute the routes first (POST /api/plans/{context.Plan.Id}/routes).");
        var places = new List<(string, Point)>();
        foreach (var r in latest)
        {
            var duration = JsonDocument.Parse(r.ReportJson).RootElement.GetProperty("durationMin").GetDouble();
            var minute = Math.Clamp(request.AtMinute ?? duration / 2, 0, duration);
            var share = duration > 0 ? minute / duration : 0;
            var line = new NetTopologySuite.LinearReferencing.LengthIndexedLine(r.Track);
            var at = line.ExtractPoint(share * r.Track.Length);
            places.Add(($"S{r.Sector + 1} @ {minute:0} min", r.Track.Factory.CreatePoint(new Coordinate(at.X, at.Y))));
        }
        return (places, latest[0].Shift);
    }

    /// <summary>
    /// One route per sector for a shift. Hot spots: the graph nodes nearest the most incidents of the sector (at least
    /// two incidents each), up to <see cref="RouteRequest.HotspotsPerSector"/>. A sector without a usable street is named
    /// in the notes and has no route.
    /// </summary>
    public async Task<(List<(PlanSector Sector, SectorRoute Route)> Routes, List<string> Notes)> RoutesAsync(
        PlanContext context, RouteRequest request, CancellationToken ct)
    {
        if (request.ShiftHours is <= 0 or > 24) throw new ArgumentException("shiftHours must be more than 0 and at most 24.");
        var incidents = await db.Incidents.Intersecting(i => i.Location, context.Neighborhood.Boundary).AsNoTracking()
            .Select(i => i.Location).ToListAsync(ct);
        var shift = ShiftFor(context, request);
        var routes = new List<(PlanSector, SectorRoute)>();
        var notes = new List<string>();
        foreach (var sector in context.Sectors)
        {
            var name = $"S{sector.Sector + 1}";
            var spots = HotSpots.Densest(incidents.Where(sector.Geometry.Covers).ToList(), request.HotspotsPerSector)
                .Select((h, i) => ($"Punto caliente {i + 1} ({h.Incidents} incidentes a 150 m)", h.Place)).ToList();
            try
            {
                var route = SectorRouting.Plan(context.Graph, sector.Geometry, name, spots,
                    new RouteOptions { Name = $"Sector {name} · turno {shift}", ShiftHours = request.ShiftHours, Seed = request.Seed + sector.Sector });
                routes.Add((sector, route));
            }
            catch (ArgumentException e)
            {
                notes.Add(e.Message);
            }
        }
        return (routes, notes);
    }

    /// <summary>The shift asked for, else the contingent's first, else mañana.</summary>
    private static string ShiftFor(PlanContext context, RouteRequest request) =>
        request.Shift ?? context.Staffing?.PerShift.FirstOrDefault().Shift ?? "mañana";

    /// <summary>Keeps the routes of a shift, replacing an earlier computation of the same plan, shift and mode.</summary>
    public async Task<List<PlanRoute>> SaveRoutesAsync(
        PlanContext context, RouteRequest request, IReadOnlyList<(PlanSector Sector, SectorRoute Route, byte[] Gpx)> routes, CancellationToken ct)
    {
        var shift = ShiftFor(context, request);
        var mode = request.Mode.ToLowerInvariant();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.PlanRoutes.Where(r => r.PlanId == context.Plan.Id && r.Shift == shift && r.Mode == mode).ExecuteDeleteAsync(ct);
        var factory = new GeometryFactory(new PrecisionModel(), Crs.Wgs84);
        var rows = routes.Select(r =>
        {
            var track = r.Route.Route.Track.Select(p => Crs.Transform(p.Position.X, p.Position.Y, r.Route.Route.Epsg, Crs.Wgs84))
                .Select(c => new Coordinate(c.X, c.Y)).ToArray();
            var stops = r.Route.Route.Stops.Select(s => Crs.Transform(s.Position.X, s.Position.Y, r.Route.Route.Epsg, Crs.Wgs84))
                .Select(c => factory.CreatePoint(new Coordinate(c.X, c.Y))).ToArray();
            var f = r.Route.Route.Figures;
            var report = new
            {
                sector = $"S{r.Sector.Sector + 1}", name = r.Route.Route.Name, lengthKm = Math.Round(f.LengthKm, 3), durationMin = Math.Round(f.DurationMin, 1),
                deadheadPct = Math.Round(f.DeadheadPct, 2), streetsCoveredPct = Math.Round(f.StreetsCoveredPct, 2), rounds = f.Rounds,
                optimal = r.Route.Tour.Optimal,
                unreachable = r.Route.Unreachable.Select(u => new { u.Name, lengthM = Math.Round(u.LengthMeters, 1), place = new[] { u.Place.X, u.Place.Y } }),
                hotspots = f.Hotspots,
                stops = r.Route.Route.Stops.Select(s => new { s.Name, arriveMin = Math.Round(s.ArriveSeconds / 60, 1), s.Minutes, s.Detour }),
                notes = r.Route.Notes.Concat(r.Route.Route.Notes),
            };
            return new PlanRoute
            {
                PlanId = context.Plan.Id, Sector = r.Sector.Sector, Shift = shift, Mode = mode, Seed = request.Seed, CreatedAt = DateTimeOffset.UtcNow,
                Track = factory.CreateLineString(track.Length >= 2 ? track : [track[0], track[0]]),
                Stops = factory.CreateMultiPoint(stops), ReportJson = JsonSerializer.Serialize(report, SectorPlanner.Json), Gpx = r.Gpx,
            };
        }).ToList();
        db.PlanRoutes.AddRange(rows);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return rows;
    }

    // The columns are 2D: drop any Z the projections carried along.
    private static MultiLineString Flat(MultiLineString lines)
    {
        var f = new GeometryFactory(new PrecisionModel(), Crs.Wgs84);
        return f.CreateMultiLineString(Enumerable.Range(0, lines.NumGeometries)
            .Select(i => f.CreateLineString(lines.GetGeometryN(i).Coordinates.Select(c => new Coordinate(c.X, c.Y)).ToArray())).ToArray());
    }
}
