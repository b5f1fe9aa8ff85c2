using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Sectors;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>Issue 12: the refusals of the sector planner a viewer reaches are notes, said in Spanish and in English.</summary>
public class SectorizerRefusalTests
{
    public static TheoryData<PartitionOptions, string, string, string> Refusals => new()
    {
        { new PartitionOptions { Sectors = 5000 }, "sectors.refused_too_many", "5000 sectors from 4 blocks: every sector needs at least one block. Ask for at most 4.",
          "5000 sectores con 4 manzanas: cada sector necesita al menos una manzana. Pida como máximo 4." },
        { new PartitionOptions { Sectors = 0 }, "sectors.refused_too_few", "Ask for at least 1 sector (got 0).", "Pida al menos 1 sector (se pidió 0)." },
        { new PartitionOptions { Sectors = 2, LockedBlocks = new Dictionary<string, int> { ["zz"] = 0 } }, "sectors.refused_locked_unknown",
          "Locked block(s) that do not exist: zz.", "Manzana(s) fijada(s) que no existen: zz." },
        { new PartitionOptions { Sectors = 2, LockedBlocks = new Dictionary<string, int> { ["r0c0"] = 2 } }, "sectors.refused_lock_range",
          "Block 'r0c0' is locked to sector 2, but the sectors are 0..1.", "La manzana «r0c0» está fijada al sector 2, pero los sectores son 0..1." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refusal_has_a_code_and_says_itself_in_both_languages(PartitionOptions options, string code, string english, string spanish)
    {
        var e = Assert.Throws<RefusalException>(() => Sectorizer.Partition(Grid(1, 4, (_, _) => 1), options));
        Assert.Equal(code, e.Reason.Code);
        Assert.Equal(english, e.Reason.Text("en"));
        Assert.Equal(spanish, e.Reason.Text("es"));
    }

    [Fact]
    public void A_zero_workload_is_refused_in_Spanish_too()
    {
        var e = Assert.Throws<RefusalException>(() => Sectorizer.Partition(Grid(2, 2, (_, _) => 0), new PartitionOptions { Sectors = 2 }));
        Assert.Equal("sectors.refused_zero_workload", e.Reason.Code);
        Assert.StartsWith("La carga total es cero", e.Reason.Text("es"));
    }
}
