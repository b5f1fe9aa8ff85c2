using System.Xml.Linq;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests;

/// <summary>
/// The layers as the project files declare them: Api → Data/Planning/Printing → Core, Cli → IO/Planning/Printing/Core
/// (+Data), Planning → Core only, Data → Core (+Planning for its typed reports). Read from the .csproj files, so a
/// reference added anywhere in src/ is caught before it is used.
/// </summary>
public class ProjectReferenceTests
{
    private sealed record Project(string Name, string Sdk, IReadOnlyList<string> Projects, IReadOnlyList<string> Packages, IReadOnlyList<string> Includes);

    private static readonly string Root = FindRoot();
    private static readonly Dictionary<string, Project> Src = Directory.GetDirectories(Path.Combine(Root, "src"))
        .Select(d => Directory.GetFiles(d, "*.csproj").Single()).Select(Read).ToDictionary(p => p.Name);

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "BarrioSeguro.Geo.sln"))) return d.FullName;
        throw new InvalidOperationException($"no BarrioSeguro.Geo.sln above {AppContext.BaseDirectory}");
    }

    private static Project Read(string csproj)
    {
        var xml = XDocument.Load(csproj);
        var items = xml.Descendants().Where(e => e.Attribute("Include") is not null).ToList();
        string Short(string include) => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')).Replace("BarrioSeguro.Geo.", "");
        return new Project(
            Path.GetFileNameWithoutExtension(csproj).Replace("BarrioSeguro.Geo.", ""),
            xml.Root!.Attribute("Sdk")?.Value ?? "",
            items.Where(e => e.Name.LocalName == "ProjectReference").Select(e => Short(e.Attribute("Include")!.Value)).Order().ToList(),
            items.Where(e => e.Name.LocalName == "PackageReference").Select(e => e.Attribute("Include")!.Value).Order().ToList(),
            items.Select(e => e.Attribute("Include")!.Value.Replace('\\', '/')).ToList());
    }

    /// <summary>A project and every project it reaches through its references.</summary>
    private static List<Project> Closure(string name)
    {
        var seen = new List<Project>();
        var todo = new Stack<string>([name]);
        while (todo.TryPop(out var n))
        {
            if (seen.Any(p => p.Name == n)) continue;
            var p = Src[n];
            seen.Add(p);
            foreach (var r in p.Projects) todo.Push(r);
        }
        return seen;
    }

    private static bool IsEfAspNetOrDatabase(string package) =>
        package.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.OrdinalIgnoreCase)
        || package.StartsWith("Npgsql", StringComparison.OrdinalIgnoreCase)
        || package.StartsWith("EFCore.", StringComparison.OrdinalIgnoreCase)
        || package.StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void The_source_projects_are_the_seven_layers()
    {
        Assert.Equal(["Api", "Cli", "Core", "Data", "IO", "Planning", "Printing"], Src.Keys.Order().ToArray());
    }

    [Fact]
    public void Core_references_no_other_project_and_no_EF_AspNet_or_file_format_package()
    {
        var core = Src["Core"];
        Assert.Empty(core.Projects);
        Assert.Equal(["Google.OrTools", "NetTopologySuite"], core.Packages); // PROJ is libproj by P/Invoke, no package
        Assert.Equal("Microsoft.NET.Sdk", core.Sdk);
    }

    [Fact]
    public void Planning_references_only_Core()
    {
        Assert.Equal(["Core"], Src["Planning"].Projects);
        Assert.DoesNotContain(Closure("Planning").SelectMany(p => p.Packages), IsEfAspNetOrDatabase);
    }

    [Fact]
    public void Printing_reaches_neither_EF_Core_nor_AspNet_nor_Data()
    {
        var closure = Closure("Printing");
        Assert.DoesNotContain(closure, p => p.Name is "Data" or "Api" or "Cli" or "IO");
        Assert.DoesNotContain(closure.SelectMany(p => p.Packages), IsEfAspNetOrDatabase);
        Assert.All(closure, p => Assert.Equal("Microsoft.NET.Sdk", p.Sdk));
    }

    [Fact]
    public void Data_reaches_neither_Printing_nor_Api_nor_Cli()
    {
        Assert.DoesNotContain(Closure("Data"), p => p.Name is "Printing" or "Api" or "Cli");
        Assert.Equal(["Core", "Planning"], Src["Data"].Projects);
    }

    [Fact]
    public void Only_the_entry_points_reference_IO_and_Printing()
    {
        foreach (var p in Src.Values.Where(p => p.Name is not ("Api" or "Cli")))
            Assert.False(p.Projects.Contains("IO") || p.Projects.Contains("Printing"), $"{p.Name} references {string.Join(", ", p.Projects)}");
    }

    [Fact]
    public void Nothing_in_src_references_tools()
    {
        foreach (var p in Src.Values)
            Assert.DoesNotContain(p.Includes, i => i.Contains("tools/", StringComparison.OrdinalIgnoreCase));
    }
}
