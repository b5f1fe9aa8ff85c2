using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Core.Routes;

namespace BarrioSeguro.Geo.Bench.Instances;

/// <summary>
/// A public mixed Chinese postman instance (data/mcpp/, from OARLib's test_instances): Corberán's MA/MB files or
/// Yaoyuenyong's .nwk files. Vertices are numbered from 1 in the files, from 0 here; every link is required.
/// <list type="bullet">
/// <item>Corberán: <c>NOMBRE</c>, <c>VERTICES</c>, <c>ARISTAS_REQ</c>, <c>ARISTAS_NOREQ</c> headers, then one line per
/// link <c>( i, j) coste c_ij c_ji</c>; 99999999 is "not allowed that way" (a one-way arc), equal costs a two-way
/// edge. Coordinates after the list are not read.</item>
/// <item>Yaoyuenyong: a header <c>3,"comment",vertices,links</c> (3 = mixed), then <c>i,j,cost,,directed,0</c> per link
/// (directed 1: an arc i → j), then coordinates, not read.</item>
/// </list>
/// </summary>
public sealed record MixedPostmanInstance(string Name, PostmanGraph Graph)
{
    private const long Forbidden = 99999999;
    private static readonly Regex CorberanLink = new(@"^\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*coste\s+(\d+)\s+(\d+)", RegexOptions.CultureInvariant);

    /// <summary>Reads a Corberán or Yaoyuenyong file, by its content.</summary>
    /// <exception cref="FormatException">Not one of the two formats, or a link or count that does not add up; the message names the file and line.</exception>
    public static MixedPostmanInstance Read(string path)
    {
        var lines = File.ReadAllLines(path, Encoding.Latin1);
        var name = Path.GetFileNameWithoutExtension(path);
        if (lines.Length == 0) throw new FormatException($"{path}: empty file");
        return lines[0].TrimStart().StartsWith("NOMBRE", StringComparison.Ordinal) ? Corberan(path, name, lines) : Yaoyuenyong(path, name, lines);
    }

    private static MixedPostmanInstance Corberan(string path, string name, string[] lines)
    {
        int? vertices = null, required = null, optional = null;
        var edges = new List<PostmanEdge>();
        var isRequired = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (Header(line, "VERTICES") is { } v) vertices = v;
            else if (Header(line, "ARISTAS_REQ") is { } r) required = r;
            else if (Header(line, "ARISTAS_NOREQ") is { } o) optional = o;
            else if (line.StartsWith("LISTA_ARISTAS_NOREQ", StringComparison.Ordinal)) isRequired = false;
            else if (line.StartsWith("LISTA_ARISTAS_REQ", StringComparison.Ordinal)) isRequired = true;
            else if (CorberanLink.Match(line) is { Success: true } m)
            {
                var a = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - 1;
                var b = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) - 1;
                var ab = long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
                var ba = long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
                if (ab == Forbidden && ba == Forbidden) throw new FormatException($"{path}:{i + 1}: a link allowed in neither direction");
                if (ab != Forbidden && ba != Forbidden && ab != ba)
                    throw new FormatException($"{path}:{i + 1}: costs {ab} and {ba} differ (a windy link, not a mixed postman instance)");
                edges.Add(ab == Forbidden ? new PostmanEdge(b, a, ba, true, isRequired) : new PostmanEdge(a, b, ab, ba == Forbidden, isRequired));
            }
        }
        if (vertices is not { } n) throw new FormatException($"{path}: no VERTICES line");
        var expected = (required ?? 0) + (optional ?? 0);
        if (edges.Count != expected) throw new FormatException($"{path}: {edges.Count} links read, the header says {expected}");
        return Checked(path, name, n, edges);
    }

    private static int? Header(string line, string key)
    {
        if (!line.StartsWith(key, StringComparison.Ordinal)) return null;
        var rest = line[key.Length..].TrimStart();
        if (!rest.StartsWith(':')) return null;
        return int.Parse(rest[1..].Trim(), CultureInfo.InvariantCulture);
    }

    private static MixedPostmanInstance Yaoyuenyong(string path, string name, string[] lines)
    {
        var header = lines[0].Split(',');
        if (header.Length < 4 || header[0].Trim() != "3") throw new FormatException($"{path}:1: not a mixed (type 3) Yaoyuenyong header");
        var n = int.Parse(header[^2], CultureInfo.InvariantCulture);
        var m = int.Parse(header[^1], CultureInfo.InvariantCulture);
        if (lines.Length < m + 1) throw new FormatException($"{path}: {lines.Length - 1} lines after the header, {m} links expected");
        var edges = new List<PostmanEdge>(m);
        for (var i = 1; i <= m; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length < 5) throw new FormatException($"{path}:{i + 1}: '{lines[i]}' is not a link line");
            var a = int.Parse(f[0], CultureInfo.InvariantCulture) - 1;
            var b = int.Parse(f[1], CultureInfo.InvariantCulture) - 1;
            var cost = double.Parse(f[2], CultureInfo.InvariantCulture);
            edges.Add(new PostmanEdge(a, b, cost, f[4].Trim() == "1", true));
        }
        return Checked(path, name, n, edges);
    }

    private static MixedPostmanInstance Checked(string path, string name, int n, List<PostmanEdge> edges)
    {
        foreach (var e in edges)
            if (e.From < 0 || e.From >= n || e.To < 0 || e.To >= n) throw new FormatException($"{path}: link {e.From + 1}-{e.To + 1} outside vertices 1..{n}");
        return new MixedPostmanInstance(name, new PostmanGraph(n, edges));
    }

    /// <summary>The data/mcpp folder of the bench, found above the current folder or the program; null when not found.</summary>
    public static string? Folder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "tools", "BarrioSeguro.Geo.Bench", "data", "mcpp");
                if (Directory.Exists(path)) return path;
            }
        return null;
    }
}
