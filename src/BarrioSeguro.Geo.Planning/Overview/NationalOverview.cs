using System.Globalization;

namespace BarrioSeguro.Geo.Planning.Overview;

/// <summary>Units on duty in one shift of the latest kept plan's staffing.</summary>
public sealed record OverviewShift(string Shift, int Units, int OfficersOnDuty);

/// <summary>
/// The latest coverage of one travel mode: the newest computation of that mode over the neighbourhood's kept plans,
/// and the newest figure of each shift at the same plan and minutes. <see cref="CoveredStreetKmPct"/> is the lowest
/// over the shifts (the weakest shift), of the neighbourhood's street km.
/// </summary>
public sealed record OverviewCoverage(
    string Mode, double Minutes, double CoveredStreetKmPct, double StreetKm, int Shifts, int PlanId, DateTimeOffset ComputedAt);

/// <summary>One neighbourhood of the national overview, as loaded (Data's OverviewStore): figures with their unit in the name.</summary>
public sealed record OverviewRow(
    int Id, string Name, string Status, string? Ubigeo, string? District, string? Province, string? Department, bool IsIllustrative,
    double AreaKm2, int Blocks, int Incidents, int SyntheticIncidents, int Contingents, string? Contingent, int Officers,
    int Plans, int? PlanId, int? Sectors, int? SectorsPerShift, IReadOnlyList<OverviewShift> UnitsPerShift,
    IReadOnlyList<OverviewCoverage> Coverage, double Lon, double Lat, double[] Bbox)
{
    /// <summary>INEI's ubigeo: two digits for the department, four for the province.</summary>
    public string? DepartmentCode => Ubigeo is { Length: >= 2 } u ? u[..2] : null;

    public string? ProvinceCode => Ubigeo is { Length: >= 4 } u ? u[..4] : null;

    /// <summary>The newest coverage of any mode: the one figure the table shows (null: none computed).</summary>
    public OverviewCoverage? LatestCoverage => Coverage.OrderByDescending(c => c.ComputedAt).FirstOrDefault();
}

/// <summary>The sums of one department, province or district (or of the whole country: no code).</summary>
public sealed record OverviewTotal(
    string? Code, string? Name, int Neighborhoods, double AreaKm2, int Blocks, int Incidents, int Officers, int Sectors,
    int WithPlan, int WithCoverage, double[]? Bbox)
{
    /// <summary>Districts for a department or province, 1 for a district.</summary>
    public int Districts { get; init; }
}

/// <summary>The overview: the rows asked for, sorted, and their totals per level.</summary>
public sealed record NationalOverviewReport(
    OverviewTotal Total, IReadOnlyList<OverviewTotal> Departments, IReadOnlyList<OverviewTotal> Provinces, IReadOnlyList<OverviewTotal> Districts,
    IReadOnlyList<OverviewRow> Rows, string Sort, string Dir)
{
    /// <summary>The unit of every figure of a row and a total, by its member name.</summary>
    public IReadOnlyDictionary<string, string> Units { get; } = NationalOverview.Units;
}

/// <summary>Groups and sorts the overview rows: pure, so the API and its tests read the same sums.</summary>
public static class NationalOverview
{
    /// <summary>What sort= takes: the row's member names (coverage: the latest coverage figure).</summary>
    public static readonly IReadOnlyList<string> SortKeys =
    [
        "name", "status", "department", "province", "district", "ubigeo", "areaKm2", "blocks", "incidents", "contingents",
        "officers", "plans", "sectors", "sectorsPerShift", "coverage",
    ];

    public static readonly IReadOnlyList<string> Directions = ["asc", "desc"];

    public static readonly IReadOnlyDictionary<string, string> Units = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["areaKm2"] = "km²", ["blocks"] = "blocks", ["incidents"] = "incidents", ["syntheticIncidents"] = "incidents",
        ["contingents"] = "contingents", ["officers"] = "officers", ["plans"] = "plans", ["sectors"] = "sectors",
        ["sectorsPerShift"] = "sectors per shift", ["units"] = "patrol units", ["officersOnDuty"] = "officers",
        ["coveredStreetKmPct"] = "% of street km", ["streetKm"] = "km", ["minutes"] = "min", ["neighborhoods"] = "neighbourhoods",
        ["districts"] = "districts", ["withPlan"] = "neighbourhoods", ["withCoverage"] = "neighbourhoods",
        ["lon"] = "° (EPSG:4326)", ["lat"] = "° (EPSG:4326)", ["bbox"] = "° (EPSG:4326)",
    };

    /// <summary>The sort key as listed (case-insensitive), or null when it is not one.</summary>
    public static string? SortKey(string? sort) =>
        SortKeys.FirstOrDefault(k => string.Equals(k, (sort ?? "name").Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Sorted by the key (nulls last either way, then by department, province, district, name) with totals per level.</summary>
    public static NationalOverviewReport Of(IReadOnlyList<OverviewRow> rows, string sort, bool descending)
    {
        var sorted = Sort(rows, sort, descending);
        return new NationalOverviewReport(
            Sum(null, null, rows),
            Level(rows, r => r.DepartmentCode, r => r.Department),
            Level(rows, r => r.ProvinceCode, r => r.Province),
            Level(rows, r => r.Ubigeo, r => r.District),
            sorted, sort, descending ? "desc" : "asc");
    }

    public static IReadOnlyList<OverviewRow> Sort(IReadOnlyList<OverviewRow> rows, string sort, bool descending)
    {
        var culture = CultureInfo.GetCultureInfo("es-PE");
        var text = StringComparer.Create(culture, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace);
        IComparable? Key(OverviewRow r) => sort switch
        {
            "name" => r.Name, "status" => r.Status, "department" => r.Department, "province" => r.Province, "district" => r.District,
            "ubigeo" => r.Ubigeo, "areaKm2" => r.AreaKm2, "blocks" => r.Blocks, "incidents" => r.Incidents, "contingents" => r.Contingents,
            "officers" => r.Officers, "plans" => r.Plans, "sectors" => r.Sectors, "sectorsPerShift" => r.SectorsPerShift,
            "coverage" => r.LatestCoverage?.CoveredStreetKmPct,
            _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, "not a sort key"),
        };
        int Compare(OverviewRow a, OverviewRow b)
        {
            var (ka, kb) = (Key(a), Key(b));
            int c;
            if (ka is null || kb is null) c = ka is null == kb is null ? 0 : ka is null ? 1 : -1; // nulls last both ways
            else
            {
                c = ka is string sa && kb is string sb ? text.Compare(sa, sb) : ka.CompareTo(kb);
                if (descending) c = -c;
            }
            if (c != 0) return c;
            c = text.Compare(a.Department ?? "", b.Department ?? "");
            if (c == 0) c = text.Compare(a.Province ?? "", b.Province ?? "");
            if (c == 0) c = text.Compare(a.District ?? "", b.District ?? "");
            if (c == 0) c = text.Compare(a.Name, b.Name);
            return c != 0 ? c : a.Id.CompareTo(b.Id);
        }
        var list = rows.ToList();
        list.Sort(Compare);
        return list;
    }

    private static List<OverviewTotal> Level(IReadOnlyList<OverviewRow> rows, Func<OverviewRow, string?> code, Func<OverviewRow, string?> name) =>
        rows.GroupBy(r => code(r) ?? "")
            .Select(g => Sum(g.Key.Length > 0 ? g.Key : null, g.Select(name).FirstOrDefault(n => n is not null), g.ToList()))
            .OrderBy(t => t.Code ?? "~", StringComparer.Ordinal)
            .ToList();

    private static OverviewTotal Sum(string? code, string? name, IReadOnlyList<OverviewRow> rows) =>
        new(code, name, rows.Count, Math.Round(rows.Sum(r => r.AreaKm2), 4), rows.Sum(r => r.Blocks), rows.Sum(r => r.Incidents),
            rows.Sum(r => r.Officers), rows.Sum(r => r.Sectors ?? 0), rows.Count(r => r.PlanId is not null), rows.Count(r => r.Coverage.Count > 0),
            Extent(rows))
        {
            Districts = rows.Select(r => r.Ubigeo).Where(u => u is not null).Distinct().Count(),
        };

    private static double[]? Extent(IReadOnlyList<OverviewRow> rows) => rows.Count == 0 ? null :
        [rows.Min(r => r.Bbox[0]), rows.Min(r => r.Bbox[1]), rows.Max(r => r.Bbox[2]), rows.Max(r => r.Bbox[3])];
}
