using BarrioSeguro.Geo.Planning.Overview;
using Xunit;

namespace BarrioSeguro.Geo.Planning.Tests.Overview;

/// <summary>The overview's grouping and sorting, on rows made here (no database).</summary>
public class NationalOverviewTests
{
    private static OverviewRow Row(int id, string name, string? ubigeo, double area, int? sectors, double? coveragePct = null) => new(
        id, name, "active", ubigeo, ubigeo is null ? null : "D" + ubigeo, ubigeo is null ? null : "P" + ubigeo[..4], ubigeo is null ? null : "Dep" + ubigeo[..2],
        false, area, 10 * id, id, 0, 1, "c", 6, sectors is null ? 0 : 1, sectors is null ? null : id, sectors, sectors, [],
        coveragePct is { } p ? [new OverviewCoverage("foot", 10, p, 5, 3, id, DateTimeOffset.UnixEpoch.AddDays(id))] : [],
        -79 + id, -8, [-79.0 + id, -8.1, -78.9 + id, -8.0]);

    private static readonly OverviewRow[] Rows =
    [
        Row(1, "Ñaña", "150118", 0.5, 3, 80),
        Row(2, "El Milagro", "130104", 2.0, null),
        Row(3, "Alto Trujillo", "130105", 1.0, 5, 60),
        Row(4, "Sin distrito", null, 0.2, 2),
    ];

    [Fact]
    public void Totals_group_by_the_ubigeo_prefixes_and_add_up()
    {
        var report = NationalOverview.Of(Rows, "name", descending: false);
        Assert.Equal(["13", "15", null], report.Departments.Select(d => d.Code));
        var laLibertad = report.Departments[0];
        Assert.Equal((2, 3.0, 20 + 30, 5), (laLibertad.Neighborhoods, laLibertad.AreaKm2, laLibertad.Blocks, laLibertad.Sectors));
        Assert.Equal(2, laLibertad.Districts);
        Assert.Equal(1, laLibertad.WithPlan);
        Assert.All(laLibertad.Bbox!.Zip([-77.0, -8.1, -75.9, -8.0]), p => Assert.Equal(p.Second, p.First, 9)); // rows 2 and 3
        Assert.Equal(["1301", "1501", null], report.Provinces.Select(p => p.Code));
        Assert.Equal(4, report.Total.Neighborhoods);
        Assert.Equal(3.7, report.Total.AreaKm2, 9);
        Assert.Equal("km²", report.Units["areaKm2"]);
    }

    [Fact]
    public void Sorting_puts_empty_values_last_both_ways_and_names_in_Spanish_order()
    {
        Assert.Equal([3, 1, 4, 2], NationalOverview.Sort(Rows, "sectors", descending: true).Select(r => r.Id)); // 5, 3, 2, then none
        Assert.Equal([4, 1, 3, 2], NationalOverview.Sort(Rows, "sectors", descending: false).Select(r => r.Id));
        Assert.Equal([1, 3, 4, 2], NationalOverview.Sort(Rows, "coverage", descending: true).Select(r => r.Id)); // 80, 60, then none by place (no department first)
        Assert.Equal([3, 2, 1, 4], NationalOverview.Sort(Rows, "name", descending: false).Select(r => r.Id)); // Alto, El, Ñaña, Sin
        Assert.Equal([2, 3, 1, 4], NationalOverview.Sort(Rows, "areaKm2", descending: true).Select(r => r.Id));
    }

    [Theory]
    [InlineData("AREAKM2", "areaKm2")]
    [InlineData(null, "name")]
    [InlineData(" coverage ", "coverage")]
    [InlineData("speed", null)]
    public void Sort_keys_are_read_without_regard_to_case(string? given, string? key) => Assert.Equal(key, NationalOverview.SortKey(given));
}
