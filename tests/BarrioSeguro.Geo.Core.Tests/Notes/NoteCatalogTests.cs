using System.Text.Json;
using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Core.Notes;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Notes;

public sealed partial class NoteCatalogTests
{
    private static readonly NoteCatalog Catalog = NoteCatalog.Default;

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("no BarrioSeguro.Geo.sln above the test binaries");
    }

    /// <summary>Every Note.Of("code", ("arg", ...), ...) in src/, with the argument names it passes.</summary>
    private static List<(string File, string Code, SortedSet<string> Args)> NotesInSource()
    {
        var found = new List<(string, string, SortedSet<string>)>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root(), "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
            var text = File.ReadAllText(file);
            foreach (Match m in NoteCall().Matches(text))
            {
                // The call's text up to its closing parenthesis, then the ("name", ...) pairs in it.
                var depth = 0;
                var end = m.Index + m.Length - 1;
                for (var i = end; i < text.Length; i++)
                {
                    if (text[i] == '(') depth++;
                    else if (text[i] == ')' && --depth == 0) { end = i; break; }
                }
                var call = text[m.Index..(end + 1)];
                var comma = call.IndexOf(',') is var c and > 0 ? c : call.Length;
                var args = new SortedSet<string>(ArgName().Matches(call[comma..]).Select(a => a.Groups[1].Value), StringComparer.Ordinal);
                foreach (Match code in CodeLiteral().Matches(call[..comma]))
                    found.Add((Path.GetRelativePath(Root(), file), code.Groups[1].Value, args));
            }
        }
        return found;
    }

    [Fact]
    public void Every_code_made_in_the_source_has_a_template_in_both_languages_with_the_arguments_it_is_given()
    {
        var made = NotesInSource();
        Assert.True(made.Count >= 30, $"only {made.Count} Note.Of calls found in src/: the scan is broken");
        var problems = new List<string>();
        foreach (var (file, code, args) in made)
        {
            if (!Catalog.Entries.TryGetValue(code, out var entry)) { problems.Add($"{file}: {code} is not in notes.json"); continue; }
            if (!entry.Args.Keys.ToHashSet().SetEquals(args))
                problems.Add($"{file}: {code} is given ({string.Join(", ", args)}), notes.json declares ({string.Join(", ", entry.Args.Keys)})");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_template_names_exactly_its_declared_arguments_in_each_language_and_each_kind_exists()
    {
        var problems = new List<string>();
        foreach (var (code, entry) in Catalog.Entries)
        {
            foreach (var lang in Catalog.Languages)
            {
                if (!entry.Templates.TryGetValue(lang, out var template) || string.IsNullOrWhiteSpace(template)) { problems.Add($"{code}: no {lang} template"); continue; }
                var used = NoteCatalog.Placeholders(template).ToHashSet();
                if (!used.SetEquals(entry.Args.Keys)) problems.Add($"{code} ({lang}): uses {{{string.Join("}, {", used)}}}, declares {string.Join(", ", entry.Args.Keys)}");
            }
            foreach (var extra in entry.Templates.Keys.Except(Catalog.Languages)) problems.Add($"{code}: template in unknown language {extra}");
            foreach (var (name, kind) in entry.Args)
                if (!Catalog.Kinds.ContainsKey(kind)) problems.Add($"{code}: argument {name} has unknown kind {kind}");
        }
        Assert.Equal(["en", "es"], Catalog.Languages.Order());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_code_in_the_catalog_is_made_somewhere_so_the_catalog_does_not_rot()
    {
        var made = NotesInSource().Select(n => n.Code).ToHashSet();
        made.Add("text"); // what a report kept before notes had codes reads as
        var unused = Catalog.Entries.Keys.Where(c => !made.Contains(c)).ToList();
        Assert.True(unused.Count == 0, "in notes.json but made nowhere: " + string.Join(", ", unused));
    }

    [Fact]
    public void Numbers_keep_their_unit_and_read_as_es_PE_and_en_GB_write_them()
    {
        var note = Note.Of("coverage.no_unit", ("count", 1234), ("of", 2000), ("km", 2.345678));
        Assert.Equal("1,234 de 2,000 partes conexas de la red (2.35 km) no tienen unidad: no se pueden alcanzar y cuentan como no cubiertas", note.Text("es"));
        Assert.Equal("1,234 of 2,000 connected pieces of the network (2.35 km) have no unit: they cannot be reached and count as not covered", note.Text("en"));
        var shift = Note.Of("staffing.hours_not_24", ("hours", 20));
        Assert.Equal("nota: los turnos cubren 20 h, no 24 h", shift.Text("es"));
        Assert.Equal("note: the shifts cover 20 h, not 24 h", shift.Text("en"));
        var far = Note.Of("route.hotspot_too_far", ("name", "Mercado"), ("roundTrip", 1381.4), ("patrol", 435));
        Assert.StartsWith("punto caliente Mercado: ir, detenerse y volver toma 1,381 min, más que los 435 min de patrullaje", far.Text("es"));
        // Coordinates stay machine-readable (a comma would split them), modes are words of the language.
        Assert.StartsWith("Moto 2 en (-79.03, -8.1) está a 250 m", Note.Of("coverage.unit_far", ("unit", "Moto 2"), ("lon", -79.03), ("lat", -8.1), ("distance", 250.4), ("tolerance", 30)).Text("es"));
        Assert.Contains("en bicicleta", Note.Of("network.class_excluded", ("count", 3), ("km", 0.5), ("mode", "bike")).Text("es"));
        // Long lists are cut, with how many more, in the language.
        var island = Note.Of("sectors.island_own", ("blocks", Enumerable.Range(1, 8).Select(i => $"b{i}")), ("sector", 2));
        Assert.Equal("La isla b1, b2, b3, b4, b5 y 3 más es el sector 2, propio.", island.Text("es"));
        Assert.Equal("Island b1, b2, b3, b4, b5 and 3 more is sector 2 of its own.", island.Text("en"));
        // One or many: {short:unidad|unidades}; the last of a list joined by the language's "and".
        Assert.Equal("el jefe fijó 4 sectores: al turno noche le falta 1 unidad, así que 1 sector queda sin patrullaje en él",
            Note.Of("staffing.fixed_short", ("sectors", 4), ("shift", "noche"), ("short", 1)).Text("es"));
        Assert.Equal("the chief fixed 4 sectors: the noche shift is 2 units short, so 2 sectors go unpatrolled in it",
            Note.Of("staffing.fixed_short", ("sectors", 4), ("shift", "noche"), ("short", 2)).Text("en"));
        var onDuty = Note.Of("staffing.on_duty", ("count", 3), ("hours", 8), ("onDuty", new[] { 6, 6, 5 }));
        Assert.Equal("3 turnos de 8 h: 6, 6 y 5 de servicio", onDuty.Text("es"));
        Assert.Equal("3 shifts of 8 h: 6, 6 and 5 on duty", onDuty.Text("en"));
    }

    [Fact]
    public void A_note_in_JSON_is_code_args_and_text_in_the_current_language_and_reads_back_equal()
    {
        var note = Note.Of("sectors.balance_bound", ("bound", 53.84), ("deviation", 60.1));
        NoteLanguage.Current = "es";
        var json = JsonSerializer.Serialize(new[] { note });
        using var doc = JsonDocument.Parse(json);
        var n = doc.RootElement[0];
        Assert.Equal("sectors.balance_bound", n.GetProperty("code").GetString());
        Assert.Equal(53.84, n.GetProperty("args").GetProperty("bound").GetDouble());
        Assert.Equal(JsonValueKind.Number, n.GetProperty("args").GetProperty("deviation").ValueKind);
        Assert.StartsWith("Las manzanas no permiten un equilibrio mejor que 53.8 %", n.GetProperty("text").GetString());
        Assert.Equal(note, JsonSerializer.Deserialize<Note[]>(json)![0]);
        NoteLanguage.Current = "en";
        Assert.Contains("no better balance than 53.8 %", JsonSerializer.Serialize(note));
        // A report kept before notes had codes: its sentence stays as it was.
        Assert.Equal("An old sentence.", JsonSerializer.Deserialize<Note>("\"An old sentence.\"")!.Text("es"));
    }

    [Fact]
    public void A_refusal_says_its_note_in_the_current_language_and_names_its_parameter()
    {
        var refusal = new RefusalException(Note.Of("blocks.slivers_merged", ("count", 3)), "blocks");
        var before = NoteLanguage.Current;
        try
        {
            NoteLanguage.Current = "es";
            Assert.Equal("3 astillas unidas a una manzana vecina (Parameter 'blocks')", refusal.Message);
            NoteLanguage.Current = "en";
            Assert.Equal("3 slivers merged into a neighbouring block (Parameter 'blocks')", refusal.Message);
            Assert.IsAssignableFrom<ArgumentException>(refusal);
            Assert.Equal("blocks.slivers_merged", refusal.Reason.Code);
        }
        finally { NoteLanguage.Current = before; }
    }

    [Theory]
    [InlineData("es-PE,es;q=0.9,en;q=0.8", "es")]
    [InlineData("en-GB,en;q=0.9", "en")]
    [InlineData("fr-FR, en;q=0.5, es;q=0.7", "es")]
    [InlineData("en_GB.UTF-8", "en")]
    [InlineData("de-DE", null)]
    [InlineData("", null)]
    public void The_language_is_picked_from_a_tag_or_an_Accept_Language_header(string tags, string? expected) =>
        Assert.Equal(expected, NoteLanguage.Pick(tags));

    [Fact]
    public void Every_fixed_ProblemDetails_title_of_the_service_has_its_Spanish()
    {
        var titles = Directory.EnumerateFiles(Path.Combine(Root(), "src", "BarrioSeguro.Geo.Api"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => ProblemTitle().Matches(File.ReadAllText(f)).Select(m => m.Groups["title"].Value))
            .ToHashSet();
        Assert.True(titles.Count >= 30, $"only {titles.Count} titles found in the service: the scan is broken");
        titles.UnionWith(["Invalid from", "Invalid to"]); // AuditEndpoints: $"Invalid {name}"
        Assert.Empty(titles.Where(t => !Catalog.Titles.ContainsKey(t)).Order());
        Assert.Equal("Geometría no válida", Catalog.Title("Invalid geometry", "es"));
        Assert.Equal("Invalid geometry", Catalog.Title("Invalid geometry", "en"));
    }

    [GeneratedRegex(@"(?:Problems\.(?:BadRequest|Conflict|Unprocessable)|RequestProblem\.(?:Malformed|Refused)|new ServiceUnavailableProblem|\(StatusCodes\.Status\w+,)\(?\s*""(?<title>[^""{]+)""|Title = ""(?<title>[^""{]+)""")]
    private static partial Regex ProblemTitle();

    [GeneratedRegex(@"Note\.Of\(")]
    private static partial Regex NoteCall();

    [GeneratedRegex(@"""([a-z][a-z0-9_.]*)""")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex(@"\(\s*""(\w+)""\s*,")]
    private static partial Regex ArgName();
}
