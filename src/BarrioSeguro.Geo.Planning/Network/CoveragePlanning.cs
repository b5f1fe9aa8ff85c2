using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Planning.Reports;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Planning.Network;

/// <summary>A patrol unit to place: its name, where it stands (lon/lat) and its shift when known.</summary>
public sealed record CoverageUnit(string Name, Point Place, string? Shift = null);

/// <summary>What the coverage is measured on besides the streets: blocks, incidents, sectors (all lon/lat).</summary>
public sealed record CoverageTargets(
    IReadOnlyList<Geometry>? Blocks = null, IReadOnlyList<WeightedPoint>? Incidents = null, IReadOnlyList<NamedArea>? Sectors = null,
    NamedArea? Headline = null, double SnapToleranceM = 50);

/// <summary>One coverage computation: the report and the result (for the pieces).</summary>
public sealed record CoverageOutcome(CoverageReport Report, CoverageResult Result);

/// <summary>
/// Coverage, the same way for the CLI and the service: what the units reach within T minutes on the street graph, with
/// the blocks, incidents and sectors counted; per shift when the units have one.
/// </summary>
public static class CoveragePlanning
{
    /// <summary>Limits of the time threshold, minutes.</summary>
    public const double MaxMinutes = 1440;

    /// <summary>The units together, and then the units of each shift (in order of the shift codes).</summary>
    /// <exception cref="ArgumentException">Minutes out of range, no unit near a street (Coverage's reasons).</exception>
    public static CoverageReport Compute(StreetGraph graph, IReadOnlyList<CoverageUnit> units, double minutes, CoverageTargets targets, string placement)
    {
        var all = Once(graph, units, minutes, targets, null, placement, []);
        var shifts = units.Where(u => u.Shift is not null).GroupBy(u => u.Shift!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Once(graph, g.ToList(), minutes, targets, g.Key, placement, []).Report).ToList();
        return all.Report with { Shifts = shifts };
    }

    /// <summary>One computation for one set of units; <paramref name="notes"/> are added to Coverage's own.</summary>
    /// <exception cref="ArgumentException">Minutes out of range, no unit near a street (Coverage's reasons).</exception>
    public static CoverageOutcome Once(
        StreetGraph graph, IReadOnlyList<CoverageUnit> units, double minutes, CoverageTargets targets, string? shift, string placement, IEnumerable<Note> notes)
    {
        if (!(minutes > 0) || minutes > MaxMinutes) throw new RefusalException(Note.Of("coverage.refused_minutes", ("minutes", minutes.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("limit", MaxMinutes)), nameof(minutes));
        var sectors = targets.Headline is null ? targets.Sectors : [targets.Headline, .. targets.Sectors ?? []];
        var result = Coverage.Compute(graph, units.Select(u => u.Place).ToList(), minutes, new CoverageOptions
        {
            SnapToleranceM = targets.SnapToleranceM,
            UnitNames = units.Select(u => u.Name).ToList(),
            BlocksLonLat = targets.Blocks,
            IncidentsLonLat = targets.Incidents,
            Sectors = sectors,
        });
        var headline = targets.Headline is null ? result.Figures : result.Sectors[0].Figures;
        var perSector = targets.Headline is null ? result.Sectors : result.Sectors.Skip(1).ToList();
        var report = new CoverageReport(
            graph.Mode.Name(), minutes, shift, units.Count, placement,
            units.Select(u => new UnitPlace(u.Name, u.Place.X, u.Place.Y)).ToList(),
            CoverageReport.Rounded(headline),
            perSector.Select(s => new SectorCoverage(s.Name, CoverageReport.Rounded(s.Figures))).ToList(),
            CoverageReport.Rounded(result.Figures),
            result.UnitsSnapped.Select(u => new SnappedUnitReport(u.Name, u.LonLat.X, u.LonLat.Y, Math.Round(u.At.DistanceMeters, 2))).ToList(),
            result.UnitsRefused.Select(u => new RefusedUnitReport(u.Name, u.LonLat.X, u.LonLat.Y, u.NearestStreetM is { } d ? Math.Round(d, 1) : null)).ToList(),
            NetworkReport.Of(graph), result.ComponentsWithoutUnit, Math.Round(result.KmWithoutUnit, 3), result.BlocksOffNetwork,
            result.IncidentsOffNetwork, Math.Round(result.ElapsedMs, 1), result.Notes.Concat(notes).ToList());
        return new CoverageOutcome(report, result);
    }

    /// <summary>One unit per sector at the sector's interior point, named by its label.</summary>
    public static List<CoverageUnit> AtSectorCentres(IEnumerable<(int Sector, Geometry Polygon)> sectors) =>
        sectors.OrderBy(s => s.Sector).Select(s => new CoverageUnit(SectorLabel.Of(s.Sector), (Point)s.Polygon.InteriorPoint)).ToList();

    /// <summary>
    /// Where each route's unit is <paramref name="atMinute"/> minutes into the shift (default: half the route's
    /// duration): along the track at that share of its length (stops make this an approximation of a few hundred metres
    /// at most).
    /// </summary>
    public static List<CoverageUnit> AlongRoutes(IEnumerable<(int Sector, LineString Track, RouteReport Report)> routes, double? atMinute)
    {
        var units = new List<CoverageUnit>();
        foreach (var (sector, track, report) in routes.OrderBy(r => r.Sector))
        {
            var duration = report.DurationMin;
            var minute = Math.Clamp(atMinute ?? duration / 2, 0, duration);
            var share = duration > 0 ? minute / duration : 0;
            var at = new LengthIndexedLine(track).ExtractPoint(share * track.Length);
            units.Add(new CoverageUnit($"{SectorLabel.Of(sector)} @ {minute:0} min", track.Factory.CreatePoint(new Coordinate(at.X, at.Y)), report.Shift));
        }
        return units;
    }

    /// <summary>
    /// Coverage of a plan per shift with the units at the sector centres: as many units as the shift has (a shift with
    /// fewer units than sectors leaves the last sectors without one, and says so).
    /// </summary>
    public static List<CoverageOutcome> PerShift(
        StreetGraph graph, IReadOnlyList<CoverageUnit> anchors, IReadOnlyList<(string Shift, int Units)> shifts, double minutes,
        CoverageTargets targets, string placement)
    {
        var rows = new List<CoverageOutcome>();
        foreach (var (shift, count) in shifts)
        {
            var used = anchors.Take(Math.Max(1, Math.Min(count, anchors.Count))).ToList();
            var notes = new List<Note>();
            if (placement == "sectors" && count < anchors.Count)
                notes.Add(Note.Of("coverage.shift_short", ("shift", shift), ("units", count), ("sectors", anchors.Count), ("missing", anchors.Skip(count).Select(a => a.Name))));
            rows.Add(Once(graph, used, minutes, targets, shift, placement, notes));
        }
        return rows;
    }
}
