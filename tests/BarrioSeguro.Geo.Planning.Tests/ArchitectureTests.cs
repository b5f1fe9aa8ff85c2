namespace BarrioSeguro.Geo.Planning.Tests;

public class ArchitectureTests
{
    /// <summary>Planning is use cases over loaded inputs: no HTTP, no EF Core, no database driver, no file formats.</summary>
    [Fact]
    public void Planning_references_only_Core_NetTopologySuite_and_the_runtime()
    {
        var references = typeof(PlanningJson).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var foreign = references.Where(n => !(n.StartsWith("System", StringComparison.Ordinal) || n == "netstandard" || n == "mscorlib"
            || n == "NetTopologySuite" || n == "BarrioSeguro.Geo.Core")).ToList();
        Assert.True(foreign.Count == 0, $"Planning references {string.Join(", ", foreign)}");
        Assert.Contains("BarrioSeguro.Geo.Core", references);
    }
}
