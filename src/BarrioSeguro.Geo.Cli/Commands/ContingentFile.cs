using System.Globalization;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Planning;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// Reads a contingent file (JSON) into a <see cref="ContingentPlan"/>:
/// <c>{"officers":20,"shifts":[{"name":"mañana","hours":8},...],"availability":0.85,"mode":"foot","crew":2,"jointUnits":1}</c>
/// or the short form <c>{"officers":20,"shifts":3}</c> (n shifts of 24/n h, officers shared evenly). Optional:
/// <c>availability</c> (default 1), <c>mode</c> foot|bike|moto|car (default foot), <c>crew</c> (default 2),
/// <c>jointUnits</c> (serenazgo units per shift, default 0), <c>sectors</c> (a number fixed by the chief), and per shift
/// <c>officers</c>. Other members (name, neighborhood, source, ...) are ignored, so
/// geodata/sample/el_milagro_contingent.json loads as it is.
/// </summary>
internal static class ContingentFile
{
    public static ContingentPlan Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"contingent {path}: {(e is FileNotFoundException ? "file not found" : e.Message)}", e);
        }
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return Parse(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new CommandFailedException($"contingent {Path.GetFileName(path)}: not valid JSON ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        catch (FormatException e)
        {
            throw new CommandFailedException($"contingent {Path.GetFileName(path)}: {e.Message}", e);
        }
    }

    private static ContingentPlan Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("expected a JSON object with officers and shifts");
        var officers = Int(Get(root, "officers") ?? throw new FormatException("'officers' is missing"), "officers");
        var shiftsElement = Get(root, "shifts") ?? throw new FormatException("'shifts' is missing (a number of shifts, or a list of {name, hours})");
        List<ShiftPlan> shifts;
        if (shiftsElement.ValueKind == JsonValueKind.Number)
        {
            var n = Int(shiftsElement, "shifts");
            if (n is < 1 or > 24) throw new FormatException($"'shifts' must be 1 to 24, not {n}");
            // n equal shifts named from the one shift table (mañana, tarde, noche; día, noche; turno N).
            shifts = Shifts.Equal(n);
        }
        else if (shiftsElement.ValueKind == JsonValueKind.Array)
        {
            shifts = [];
            var i = 0;
            foreach (var s in shiftsElement.EnumerateArray())
            {
                i++;
                if (s.ValueKind != JsonValueKind.Object) throw new FormatException($"shift {i} must be an object {{name, hours}}");
                var name = Get(s, "name") is { ValueKind: JsonValueKind.String } nameElement ? nameElement.GetString()! : $"shift {i}";
                var hours = Get(s, "hours") is { } h ? Number(h, $"hours of shift '{name}'") : 24.0 / shiftsElement.GetArrayLength();
                var shiftOfficers = Get(s, "officers") is { } o ? Int(o, $"officers of shift '{name}'") : 0;
                shifts.Add(new ShiftPlan(name, hours, shiftOfficers));
            }
        }
        else throw new FormatException("'shifts' must be a number or a list of {name, hours}");

        var availability = Get(root, "availability") is { } a ? Number(a, "availability") : 1.0;
        var modeName = Get(root, "mode") is { ValueKind: JsonValueKind.String } m ? m.GetString()!.Trim().ToLowerInvariant() : "foot";
        modeName = modeName switch { "pie" or "a pie" => "foot", "bicicleta" or "bicycle" => "bike", "moto" or "motorcycle" or "motorizado" => "moto", "patrullero" => "car", _ => modeName };
        var crew = Get(root, "crew") is { } c ? Int(c, "crew") : 2;
        var jointElement = Get(root, "jointUnits") ?? Get(root, "joint_units") ?? Get(root, "serenazgo");
        var joint = jointElement is { } j ? Int(j, "jointUnits") : 0;
        var plan = new ContingentPlan(officers, shifts, availability, new PatrolMode(modeName, crew), joint);
        if (Get(root, "sectors") is { ValueKind: JsonValueKind.Number } fixedSectors)
            plan = plan with { FixedSectors = Int(fixedSectors, "sectors") };
        return plan;
    }

    /// <summary>A member by name, case-insensitively; null when absent or JSON null.</summary>
    private static JsonElement? Get(JsonElement obj, string name)
    {
        foreach (var p in obj.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                return p.Value.ValueKind == JsonValueKind.Null ? null : p.Value;
        return null;
    }

    private static int Int(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v
        : e.ValueKind == JsonValueKind.String && int.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out v) ? v
        : throw new FormatException($"'{what}' must be a whole number, not {e.GetRawText()}");

    private static double Number(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble()
        : e.ValueKind == JsonValueKind.String && double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new FormatException($"'{what}' must be a number, not {e.GetRawText()}");
}
