using System.Text.Json;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Sectors;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

public class WorkloadTests
{
    private static IReadOnlyDictionary<string, object?> Row(params (string Key, object? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    [Fact]
    public void Weighted_sum_of_attributes_of_any_numeric_kind()
    {
        var rows = new[]
        {
            Row(("incidents", 3), ("street_m", 250.0)),
            Row(("Incidents", "2"), ("street_m", JsonDocument.Parse("100").RootElement)),
            Row(("incidents", null), ("street_m", 50m)),
            Row(("street_m", 0L)),
        };
        var w = Workload.Compute(rows, [new("incidents", 1), new("street_m", 0.01)]);
        Assert.Equal([5.5, 3, 0.5, 0], w.Select(x => Math.Round(x, 9)));
    }

    [Fact]
    public void The_default_terms_are_incidents_and_street_length()
    {
        var w = Workload.Compute([Row(("incidents", 1), ("street_m", 100))]);
        Assert.Equal(2, w[0], 9);
    }

    [Fact]
    public void An_unknown_attribute_is_named_with_the_known_ones()
    {
        var e = Assert.Throws<RefusalException>(() => Workload.Compute([Row(("incidents", 1), ("area_m2", 5))], [new("robos", 1)]));
        Assert.Contains("'robos'", e.Message);
        Assert.Contains("area_m2, incidents", e.Message);
    }

    [Fact]
    public void A_negative_weight_is_refused()
    {
        var e = Assert.Throws<RefusalException>(() => Workload.Compute([Row(("incidents", 1))], [new("incidents", -1)]));
        Assert.Contains("negative", e.Message);
    }

    [Fact]
    public void A_value_that_is_not_a_number_names_the_block()
    {
        var e = Assert.Throws<RefusalException>(() => Workload.Compute([Row(("incidents", 1)), Row(("incidents", "many"))], [new("incidents", 1)]));
        Assert.Contains("Block 1", e.Message);
        Assert.Contains("many", e.Message);
    }

    [Fact]
    public void Zero_total_workload_is_refused()
    {
        var e = Assert.Throws<RefusalException>(() => Workload.Compute([Row(("incidents", 0)), Row(("incidents", 0))], [new("incidents", 1)]));
        Assert.Contains("total workload is zero", e.Message);
    }
}
