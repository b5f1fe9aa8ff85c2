using System.Text.RegularExpressions;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// Static checks of the viewer's sources (wwwroot): native ES modules from one entry point, no file outside its import
/// graph, and no HTML parsed from strings (the DOM is built from elements and text nodes, so user data stays text).
/// </summary>
public partial class ViewerSourceTests
{
    private static readonly string WebRoot = Path.Combine(ApiFixture.RepositoryRoot, "src", "BarrioSeguro.Geo.Api", "wwwroot");
    private static readonly string ModuleRoot = Path.Combine(WebRoot, "js");

    /// <summary>The viewer's own scripts: everything .js under wwwroot but OpenLayers' copy in lib/.</summary>
    private static string[] OwnScripts() =>
        Directory.EnumerateFiles(WebRoot, "*.js", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(WebRoot, f).Replace('\\', '/').StartsWith("lib/", StringComparison.Ordinal))
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)
            .ToArray();

    [GeneratedRegex(@"\b(?:import|export)\b[^;'""]*?\bfrom\s*['""]([^'""]+)['""]|\bimport\s*['""]([^'""]+)['""]|\bimport\s*\(\s*['""]([^'""]+)['""]\s*\)")]
    private static partial Regex ImportPattern();

    [GeneratedRegex(@"\b(innerHTML|outerHTML|insertAdjacentHTML|createContextualFragment|document\.write)\b")]
    private static partial Regex HtmlSinkPattern();

    [GeneratedRegex(@"<script\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTagPattern();

    /// <summary>The files a module imports, as full paths (relative specifiers only: there is no bundler to resolve others).</summary>
    private static IEnumerable<string> ImportsOf(string file)
    {
        foreach (Match m in ImportPattern().Matches(File.ReadAllText(file)))
        {
            var specifier = m.Groups.Cast<Group>().Skip(1).First(g => g.Success).Value;
            Assert.True(specifier.StartsWith("./", StringComparison.Ordinal) || specifier.StartsWith("../", StringComparison.Ordinal),
                $"{Path.GetRelativePath(WebRoot, file)} imports '{specifier}': only relative paths work without a build step");
            Assert.EndsWith(".js", specifier);
            yield return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, specifier));
        }
    }

    [Fact]
    public void Index_html_loads_OpenLayers_and_one_module_entry_point()
    {
        var html = File.ReadAllText(Path.Combine(WebRoot, "index.html"));
        var scripts = ScriptTagPattern().Matches(html).Select(m => m.Value).ToArray();
        Assert.Equal(["<script src=\"lib/ol.js\">", "<script type=\"module\" src=\"js/main.js\">"], scripts);
    }

    [Fact]
    public void Every_script_is_a_module_reached_from_main_js_and_every_import_exists()
    {
        var main = Path.GetFullPath(Path.Combine(ModuleRoot, "main.js"));
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([main]);
        while (pending.Count > 0)
        {
            var file = pending.Pop();
            Assert.True(File.Exists(file), $"imported but missing: {Path.GetRelativePath(WebRoot, file)}");
            if (!reached.Add(file)) continue;
            foreach (var target in ImportsOf(file)) pending.Push(target);
        }

        var dead = OwnScripts().Where(f => !reached.Contains(f)).Select(f => Path.GetRelativePath(WebRoot, f)).ToArray();
        Assert.True(dead.Length == 0, "not imported from js/main.js's graph: " + string.Join(", ", dead));
        Assert.All(OwnScripts(), f => Assert.StartsWith(ModuleRoot + Path.DirectorySeparatorChar, f));
        Assert.True(reached.Count >= 10, $"only {reached.Count} modules reached"); // the split itself: api, dom, format, styles, map, panels...
        foreach (var panel in new[] { "information", "legend", "neighborhood", "history", "sectors", "coverage", "routes" })
            Assert.Contains(Path.GetFullPath(Path.Combine(ModuleRoot, "panels", panel + ".js")), reached);
    }

    [Fact]
    public void No_module_parses_HTML_from_strings()
    {
        var found = new List<string>();
        foreach (var file in OwnScripts())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var sink = HtmlSinkPattern().Match(lines[i]);
                if (sink.Success) found.Add($"{Path.GetRelativePath(WebRoot, file)}:{i + 1}: {sink.Value}");
            }
        }
        Assert.True(found.Count == 0, "HTML parsed from strings:\n" + string.Join("\n", found));
    }

    [GeneratedRegex(@"^\s+'([^']+)':", RegexOptions.Multiline)]
    private static partial Regex MessageKeyPattern();

    [Fact]
    public void Every_text_the_viewer_names_is_in_both_languages_of_the_one_table()
    {
        var table = File.ReadAllText(Path.Combine(ModuleRoot, "i18n.js"));
        int es = table.IndexOf("  es: {", StringComparison.Ordinal), en = table.IndexOf("  en: {", StringComparison.Ordinal);
        int end = table.IndexOf("export const LOCALES", StringComparison.Ordinal);
        Assert.True(es >= 0 && en > es && end > en, "i18n.js: messages.es, then messages.en, then LOCALES");
        var spanish = MessageKeyPattern().Matches(table[es..en]).Select(m => m.Groups[1].Value).ToHashSet();
        var english = MessageKeyPattern().Matches(table[en..end]).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(spanish.Count > 100, $"only {spanish.Count} Spanish texts found");
        Assert.Empty(spanish.Except(english).Order());
        Assert.Empty(english.Except(spanish).Order());

        // Keys written out in full: t('key') in the modules, data-i18n* in the page.
        var named = OwnScripts().SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\bt\('([^'$]+)'").Select(m => m.Groups[1].Value))
            .Concat(Regex.Matches(File.ReadAllText(Path.Combine(WebRoot, "index.html")), @"data-i18n(?:-title|-aria-label)?=""([^""]+)""").Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.True(named.Count > 100, $"only {named.Count} keys named");
        Assert.Empty(named.Except(spanish).Order());
    }

    [Fact]
    public void Only_the_http_client_module_calls_fetch()
    {
        var callers = OwnScripts()
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"\bfetch\s*\(|XMLHttpRequest"))
            .Select(f => Path.GetRelativePath(WebRoot, f).Replace('\\', '/'))
            .ToArray();
        Assert.Equal(["js/api.js"], callers);
    }
}
