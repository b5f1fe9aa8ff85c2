using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Neighborhoods;

/// <summary>What a boundary is checked and measured against: its district, the other neighbourhoods near it, and the
/// streets, incidents and stations that touch it.</summary>
public sealed record Surroundings(
    District? District,
    IReadOnlyList<Neighborhood> Others,
    IReadOnlyList<Street> Streets,
    IReadOnlyList<Incident> Incidents,
    IReadOnlyList<Station> Stations);

public sealed class SurroundingsQuery(BarrioDbContext db)
{
    /// <summary>
    /// Loads the surroundings of a lon/lat boundary. The district is the one named, else the one that holds most of the
    /// boundary; other neighbourhoods are those whose boundary touches it (the one being edited left out).
    /// </summary>
    public async Task<Surroundings> LoadAsync(Geometry boundary, string? districtUbigeo, int? excludeNeighborhoodId, CancellationToken ct)
    {
        // With every district of Peru loaded, a boundary reaching far outside Peru (a hostile 1e308) meets many of them:
        // it lies in none, and the validator says where it leaves Peru.
        District? district = districtUbigeo is not null
            ? await db.Districts.AsNoTracking().FirstOrDefaultAsync(d => d.Ubigeo == districtUbigeo, ct)
            : !InputGeometryCheck.PeruExtent.Contains(boundary.EnvelopeInternal) ? null
            : (await db.Districts.Intersecting(d => d.Boundary, boundary).AsNoTracking().ToListAsync(ct))
                .OrderByDescending(d => SharedArea(d.Boundary, boundary)).FirstOrDefault();
        var others = await db.Neighborhoods.Intersecting(n => n.Boundary, boundary).AsNoTracking()
            .Where(n => n.Id != excludeNeighborhoodId).OrderBy(n => n.Id).ToListAsync(ct);
        var streets = await db.Streets.Intersecting(s => s.Geometry, boundary).AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);
        var incidents = await db.Incidents.Intersecting(i => i.Location, boundary).AsNoTracking().OrderBy(i => i.Id).ToListAsync(ct);
        var stations = await db.Stations.Intersecting(s => s.Location, boundary).AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);
        return new Surroundings(district, others, streets, incidents, stations);
    }

    // A drawn boundary may be invalid (that is what validation reports): then the boxes' overlap ranks the districts.
    private static double SharedArea(Geometry district, Geometry boundary)
    {
        try
        {
            return district.Intersection(boundary).Area;
        }
        catch (TopologyException)
        {
            return district.EnvelopeInternal.Intersection(boundary.EnvelopeInternal).Area;
        }
    }
}
