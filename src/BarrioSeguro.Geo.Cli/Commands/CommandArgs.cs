namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// A command's arguments split into positionals and <c>--name value</c> / <c>--name=value</c> options.
/// Only the options a command declares are accepted; anything else is a <see cref="UsageException"/>.
/// </summary>
public sealed class CommandArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    private CommandArgs(List<string> positionals) => Positionals = positionals;

    /// <summary>The arguments that are not options, in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>The value of an option, or null when not given.</summary>
    public string? Option(string name) => _options.GetValueOrDefault(name);

    /// <summary>The value of an option that must be given, e.g. <c>Required("--out", "FILE")</c>.</summary>
    /// <exception cref="UsageException">"--out FILE is required".</exception>
    public string Required(string name, string what) => Option(name) ?? throw new UsageException($"{name} {what} is required");

    /// <summary>The travel mode named by --mode (foot, bike, moto, car).</summary>
    /// <exception cref="UsageException">Missing or unknown; the message lists the modes.</exception>
    public BarrioSeguro.Geo.Core.Network.TravelMode Mode()
    {
        var text = Required("--mode", "foot|bike|moto|car");
        try { return BarrioSeguro.Geo.Core.Network.TravelModes.Parse(text); }
        catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
    }

    /// <summary>Refuses positional arguments a command does not take.</summary>
    public void NoPositionals()
    {
        if (Positionals.Count > 0) throw new UsageException($"unexpected argument '{Positionals[0]}'");
    }

    /// <summary>Parses arguments; <paramref name="valueOptions"/> are the options that take a value, e.g. "--crs".</summary>
    /// <exception cref="UsageException">An unknown option, or an option without its value.</exception>
    public static CommandArgs Parse(IReadOnlyList<string> args, params string[] valueOptions)
    {
        var result = new CommandArgs([]);
        var positionals = (List<string>)result.Positionals;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
            {
                positionals.Add(a);
                continue;
            }
            var eq = a.IndexOf('=');
            var name = eq < 0 ? a : a[..eq];
            if (!valueOptions.Contains(name)) throw new UsageException($"unknown option '{name}'");
            if (eq >= 0) result._options[name] = a[(eq + 1)..];
            else if (i + 1 < args.Count) result._options[name] = args[++i];
            else throw new UsageException($"option '{name}' needs a value");
        }
        return result;
    }
}
