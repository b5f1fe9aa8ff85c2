using BarrioSeguro.Geo.Core.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Features;

/// <summary>
/// The stored reference layers (districts, streets, incidents) read by key or by area, for callers that need the
/// domain objects rather than published features. Areas are lon/lat (EPSG:4326) and filtered through the GiST index.
/// </summary>
public sealed class MapLayers(BarrioDbContext db)
{
    /// <summary>The district with that ubigeo, or null.</summary>
    public Task<District?> DistrictAsync(string ubigeo, CancellationToken ct) =>
        db.Districts.AsNoTracking().FirstOrDefaultAsync(d => d.Ubigeo == ubigeo, ct);

    /// <summary>The centrelines of the streets that touch a lon/lat box, ordered by id.</summary>
    public Task<List<MultiLineString>> StreetLinesAsync(Envelope box, CancellationToken ct) =>
        db.Streets.Intersecting(s => s.Geometry, SpatialQueries.Box(box)).AsNoTracking().OrderBy(s => s.Id)
            .Select(s => s.Geometry).ToListAsync(ct);

    /// <summary>The places of the incidents inside an area, ordered by id.</summary>
    public Task<List<Point>> IncidentLocationsAsync(Geometry area, CancellationToken ct) =>
        db.Incidents.Intersecting(i => i.Location, area).AsNoTracking().OrderBy(i => i.Id)
            .Select(i => i.Location).ToListAsync(ct);
}
