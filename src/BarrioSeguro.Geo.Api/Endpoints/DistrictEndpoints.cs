using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// The INEI limits of Peru: districts searched by name or ubigeo, and each district, province and department with its
/// boundary. Public, like the districts collection: the limits are published data and tell nothing of any plan.
/// </summary>
public static class DistrictEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxQueryLength = 100;

    public static IEndpointRouteBuilder MapDistricts(this IEndpointRouteBuilder app)
    {
        var d = app.MapGroup("/api/districts").WithTags("Districts");
        d.MapGet("/", Search).WithSummary(
            $"Districts of Peru by name or ubigeo prefix (q, accents and case aside: \"florencia\", \"nunoa\", \"1301\"), ranked exact ubigeo, ubigeo prefix, exact name, name prefix, word prefix, contains; department and province filter by name or code; limit 1 to {MaxLimit} (default {DefaultLimit}). Each with province, department, area (km²) and box, no boundary.");
        d.MapGet("/{ubigeo}", GetDistrict).WithSummary("One district as a GeoJSON Feature: its boundary (null when INEI's file has none), province, department, area (km²), box, source.");
        var p = app.MapGroup("/api/provinces").WithTags("Districts");
        p.MapGet("/", ListProvinces).WithSummary("The provinces (of a department: name or 2-digit code), by name: code, department, districts, area (km²), box.");
        p.MapGet("/{code}", GetProvince).WithSummary("One province (4-digit code) as a GeoJSON Feature with its boundary.");
        var dep = app.MapGroup("/api/departments").WithTags("Districts");
        dep.MapGet("/", ListDepartments).WithSummary("The departments, by name: code, districts, area (km²), box.");
        dep.MapGet("/{code}", GetDepartment).WithSummary("One department (2-digit code) as a GeoJSON Feature with its boundary.");
        return app;
    }

    /// <summary>A district as a search lists it.</summary>
    public sealed record DistrictItem(
        string Ubigeo, string Name, string? Province, string ProvinceCode, string? Department, string DepartmentCode,
        double AreaKm2, double[]? Bbox, bool HasBoundary, string Match, string? Source);

    public sealed record DistrictSearch(string? Q, string? Department, string? Province, int Limit, int Matched, int Returned, IReadOnlyList<DistrictItem> Districts);

    /// <summary>A province or department as listed.</summary>
    public sealed record AreaItem(string Code, string Name, string? Department, string? DepartmentCode, int Districts, double AreaKm2, double[]? Bbox, string? Source);

    public sealed record ProvinceList(string? Department, IReadOnlyList<AreaItem> Provinces);

    public sealed record DepartmentList(IReadOnlyList<AreaItem> Departments);

    public static async Task<Results<JsonOk<DistrictSearch>, BadRequestProblem>> Search(
        string? q, string? department, string? province, int? limit, AdminAreas areas, CancellationToken ct)
    {
        if (q is { Length: > MaxQueryLength })
            return Problems.BadRequest("Invalid q", Note.Of("districts.q_too_long", ("length", q.Length), ("max", MaxQueryLength)));
        if (limit is < 1 or > MaxLimit)
            return Problems.BadRequest("Invalid limit", Note.Of("districts.limit_range", ("limit", limit.Value), ("max", MaxLimit)));
        IReadOnlyList<string>? departments = null, provinces = null;
        if (!string.IsNullOrWhiteSpace(department))
        {
            departments = await areas.CodesOfAsync("departments", department, ct);
            if (departments.Count == 0) return Problems.BadRequest("Unknown department", Note.Of("districts.unknown_department", ("department", department.Trim())));
        }
        if (!string.IsNullOrWhiteSpace(province))
        {
            provinces = await areas.CodesOfAsync("provinces", province, ct);
            if (provinces.Count == 0) return Problems.BadRequest("Unknown province", Note.Of("districts.unknown_province", ("province", province.Trim())));
        }
        var take = limit ?? DefaultLimit;
        var page = await areas.SearchDistrictsAsync(new DistrictQuery(q, departments, provinces, take), ct);
        var items = page.Items.Select(a => new DistrictItem(a.Code, a.Name, a.Province, a.ProvinceCode!, a.Department, a.DepartmentCode!,
            a.AreaKm2, a.Bbox, a.Bbox is not null, MatchName(a.Match), a.Source)).ToList();
        return GeoJson.Ok(new DistrictSearch(q, department, province, take, page.Matched, items.Count, items));
    }

    public static async Task<Results<GeoJsonFeature, BadRequestProblem, NotFoundProblem>> GetDistrict(string ubigeo, AdminAreas areas, CancellationToken ct)
    {
        if (ubigeo.Length != 6 || !ubigeo.All(char.IsAsciiDigit))
            return Problems.BadRequest("Invalid ubigeo", Note.Of("districts.bad_ubigeo", ("ubigeo", Shorten(ubigeo))));
        var d = await areas.DistrictAsync(ubigeo, ct);
        if (d is null) return Problems.NotFound(Note.Of("districts.unknown", ("ubigeo", ubigeo)));
        return GeoJson.Feature(Feature(d, new AttributesTable
        {
            { "ubigeo", d.Code }, { "name", d.Name }, { "province", d.Province }, { "provinceCode", d.ProvinceCode },
            { "department", d.Department }, { "departmentCode", d.DepartmentCode },
        }));
    }

    public static async Task<Results<JsonOk<ProvinceList>, BadRequestProblem>> ListProvinces(string? department, AdminAreas areas, CancellationToken ct)
    {
        IReadOnlyList<string>? departments = null;
        if (!string.IsNullOrWhiteSpace(department))
        {
            departments = await areas.CodesOfAsync("departments", department, ct);
            if (departments.Count == 0) return Problems.BadRequest("Unknown department", Note.Of("districts.unknown_department", ("department", department.Trim())));
        }
        var list = await areas.ProvincesAsync(departments, null, false, ct);
        return GeoJson.Ok(new ProvinceList(department, list.Select(Item).ToList()));
    }

    public static async Task<JsonOk<DepartmentList>> ListDepartments(AdminAreas areas, CancellationToken ct) =>
        GeoJson.Ok(new DepartmentList((await areas.DepartmentsAsync(null, false, ct)).Select(Item).ToList()));

    public static async Task<Results<GeoJsonFeature, BadRequestProblem, NotFoundProblem>> GetProvince(string code, AdminAreas areas, CancellationToken ct)
    {
        if (code.Length != 4 || !code.All(char.IsAsciiDigit))
            return Problems.BadRequest("Invalid code", Note.Of("districts.bad_code", ("code", Shorten(code)), ("digits", 4)));
        var p = (await areas.ProvincesAsync(null, code, true, ct)).FirstOrDefault();
        if (p is null) return Problems.NotFound(Note.Of("districts.unknown_province", ("province", code)));
        return GeoJson.Feature(Feature(p, new AttributesTable
        {
            { "code", p.Code }, { "name", p.Name }, { "department", p.Department }, { "departmentCode", p.DepartmentCode }, { "districts", p.Districts },
        }));
    }

    public static async Task<Results<GeoJsonFeature, BadRequestProblem, NotFoundProblem>> GetDepartment(string code, AdminAreas areas, CancellationToken ct)
    {
        if (code.Length != 2 || !code.All(char.IsAsciiDigit))
            return Problems.BadRequest("Invalid code", Note.Of("districts.bad_code", ("code", Shorten(code)), ("digits", 2)));
        var d = (await areas.DepartmentsAsync(code, true, ct)).FirstOrDefault();
        if (d is null) return Problems.NotFound(Note.Of("districts.unknown_department", ("department", code)));
        return GeoJson.Feature(Feature(d, new AttributesTable { { "code", d.Code }, { "name", d.Name }, { "districts", d.Districts } }));
    }

    private static AreaItem Item(AdminArea a) => new(a.Code, a.Name, a.Code.Length == 4 ? a.Department : null, a.Code.Length == 4 ? a.DepartmentCode : null,
        a.Districts ?? 0, a.AreaKm2, a.Bbox, a.Source);

    // The boundary as the geometry (null when there is none), the figures as properties.
    private static IFeature Feature(AdminArea a, AttributesTable properties)
    {
        properties.Add("areaKm2", a.AreaKm2);
        properties.Add("hasBoundary", a.Bbox is not null);
        properties.Add("bbox", a.Bbox);
        properties.Add("source", a.Source);
        return new Feature(a.Boundary is { IsEmpty: false } b ? b : null, properties) { BoundingBox = null };
    }

    private static string MatchName(DistrictMatch? m) => m switch
    {
        DistrictMatch.Ubigeo => "ubigeo",
        DistrictMatch.UbigeoPrefix => "ubigeoPrefix",
        DistrictMatch.Name => "name",
        DistrictMatch.NamePrefix => "namePrefix",
        DistrictMatch.WordPrefix => "wordPrefix",
        DistrictMatch.Contains => "contains",
        _ => "all",
    };

    // A path value echoed in a note: never a whole page of it.
    private static string Shorten(string s) => s.Length <= 20 ? s : s[..20] + "…";
}
