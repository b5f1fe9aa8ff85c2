using BarrioSeguro.Geo.Core.Domain;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests;

public class ArchitectureTests
{
    /// <summary>Core is the domain: it must not know HTTP, EF Core, Npgsql or any file format library. Google.OrTools is
    /// its solver library (the exact models: the routes' mixed postman, the sectors' polish on SCIP). Coordinate systems are
    /// PROJ's (libproj by P/Invoke): ProjNet is gone.</summary>
    [Fact]
    public void Core_references_only_NetTopologySuite_OrTools_and_the_runtime()
    {
        var references = typeof(Neighborhood).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var foreign = references.Where(n =>
            !(n.StartsWith("System", StringComparison.Ordinal) || n == "netstandard" || n == "mscorlib"
              || n == "NetTopologySuite" || n == "Google.OrTools")).ToList();
        Assert.True(foreign.Count == 0, $"Core references {string.Join(", ", foreign)}");
        Assert.Contains("NetTopologySuite", references);
    }
}
