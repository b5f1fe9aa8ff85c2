using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Audit;
using BarrioSeguro.Geo.Data.Overview;
using BarrioSeguro.Geo.Planning.Overview;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// issue 13.3: every Barrio Seguro neighbourhood by department, province and district with its figures, as JSON or as
/// a file (CSV of points, GeoPackage of boundaries). A user limited to districts sees only theirs; every call is kept
/// in the audit trail, as it reads officer and incident counts.
/// </summary>
public static class OverviewEndpoints
{
    public static readonly IReadOnlyList<string> Formats = ["json", "csv", "geopackage"];

    /// <summary>The modes the file columns name, in this order.</summary>
    public static readonly IReadOnlyList<string> Modes = ["foot", "bike", "moto", "car"];

    public static IEndpointRouteBuilder MapOverview(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/overview", Get).WithTags("Overview")
            .Produces<NationalOverviewReport>(contentType: "application/json")
            .Produces(StatusCodes.Status200OK, typeof(Stream), FileExport.Csv.ContentType, FileExport.GeoPackage.ContentType)
            .WithSummary("The national overview: every neighbourhood by department, province and district (status, area km², blocks, incidents, contingents and officers, kept plans and sectors per shift, the latest coverage per mode as % of street km within its minutes), with totals per level. sort=name|status|department|province|district|ubigeo|areaKm2|blocks|incidents|contingents|officers|plans|sectors|sectorsPerShift|coverage, dir=asc|desc; department= and province= (ubigeo prefix of 2 or 4 digits, or name), district= (ubigeo or name), status=draft|active|archived; format=json (default) | csv (one point a row, lon/lat) | geopackage (gpkg: the boundaries, EPSG:4326 unless crs=). A user limited to districts sees only theirs. Audited.");
        return app;
    }

    public static async Task<Results<JsonOk<NationalOverviewReport>, FileContentHttpResult, BadRequestProblem>> Get(
        HttpContext http, OverviewStore store, AuditStore audit, CancellationToken ct,
        string? sort = null, string? dir = null, string? department = null, string? province = null, string? district = null,
        string? status = null, string? format = null, string? crs = null)
    {
        var key = NationalOverview.SortKey(sort);
        if (key is null)
            return Problems.BadRequest("Invalid sort", Note.Of("overview.unknown_sort", ("sort", sort ?? ""), ("allowed", NationalOverview.SortKeys)), FileExport.Parameter("sort"));
        var direction = (dir ?? "asc").Trim().ToLowerInvariant();
        if (!NationalOverview.Directions.Contains(direction))
            return Problems.BadRequest("Invalid dir", Note.Of("overview.unknown_dir", ("dir", dir ?? ""), ("allowed", NationalOverview.Directions)), FileExport.Parameter("dir"));
        if (!string.IsNullOrWhiteSpace(status) && !Enum.TryParse<NeighborhoodStatus>(status.Trim(), true, out _))
            return Problems.BadRequest("Invalid status", Note.Of("overview.unknown_status", ("status", status),
                ("allowed", Enum.GetNames<NeighborhoodStatus>().Select(s => s.ToLowerInvariant()).ToArray())), FileExport.Parameter("status"));
        var formatName = (format ?? "json").Trim().ToLowerInvariant();
        FileExport.Format? file = null; // null: JSON
        if (formatName != "json")
        {
            file = new[] { FileExport.Csv, FileExport.GeoPackage }.FirstOrDefault(f => f.Aliases.Contains(formatName));
            if (file is null)
                return Problems.BadRequest("Unknown format", Note.Of("overview.unknown_format", ("format", format ?? ""), ("allowed", Formats)), FileExport.Parameter("format"));
        }
        int? target = null;
        if (file is not null)
        {
            var (epsg, badCrs) = FileExport.ParseCrs(crs, file);
            if (badCrs is not null) return badCrs;
            target = epsg;
        }

        var filter = new OverviewFilter(http.User.DistrictsOf(), department, province, district, status);
        var rows = await store.RowsAsync(filter, ct);
        var report = NationalOverview.Of(rows, key, direction == "desc");
        await AuditAsync(http, audit, file?.Name ?? "json", rows.Count);
        if (file is null) return GeoJson.Ok(report);

        var boundaries = file == FileExport.GeoPackage ? await store.BoundariesAsync(rows.Select(r => r.Id).ToArray(), ct) : null;
        var features = report.Rows.Select(r => (IFeature)new Feature(
            boundaries is null ? Points.CreatePoint(new Coordinate(r.Lon, r.Lat)) : boundaries[r.Id], Attributes(r))).ToList();
        return await FileExport.SendAsync(features, "barrio_seguro_overview", file, target ?? Crs.Wgs84, http.Response, ct);
    }

    private static readonly GeometryFactory Points = new(new PrecisionModel(), Crs.Wgs84);

    /// <summary>The file columns: figures with their unit in the name (GeoPackage and CSV keep long names).</summary>
    public static AttributesTable Attributes(OverviewRow r)
    {
        var a = new AttributesTable
        {
            { "id", r.Id }, { "name", r.Name }, { "status", r.Status }, { "department_code", r.DepartmentCode }, { "department", r.Department },
            { "province_code", r.ProvinceCode }, { "province", r.Province }, { "ubigeo", r.Ubigeo }, { "district", r.District },
            { "illustrative", r.IsIllustrative }, { "area_km2", r.AreaKm2 }, { "blocks", r.Blocks }, { "incidents", r.Incidents },
            { "incidents_synthetic", r.SyntheticIncidents }, { "contingents", r.Contingents }, { "contingent", r.Contingent },
            { "officers", r.Officers }, { "plans", r.Plans }, { "plan_id", r.PlanId }, { "sectors", r.Sectors },
            { "sectors_per_shift", r.SectorsPerShift },
        };
        foreach (var mode in Modes)
        {
            var c = r.Coverage.FirstOrDefault(x => x.Mode == mode);
            a.Add($"coverage_{mode}_pct", c?.CoveredStreetKmPct);
            a.Add($"coverage_{mode}_min", c?.Minutes);
        }
        return a;
    }

    private static async Task AuditAsync(HttpContext http, AuditStore audit, string format, int rows)
    {
        var user = ActingUser.Of(http);
        await audit.AppendAsync(new AuditEntry
        {
            At = DateTimeOffset.UtcNow, UserName = user.Name, Role = user.Role, Action = "GET /api/overview", ResourceKind = "overview",
            Status = StatusCodes.Status200OK, ClientAddress = http.Connection.RemoteIpAddress?.ToString(), RequestId = http.TraceIdentifier,
            Detail = AuditStore.Detail(("format", format), ("rows", rows), ("query", http.Request.QueryString.Value)),
        }, CancellationToken.None);
    }
}
