using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary><c>--encoding NAME</c>: the text encoding of shapefile DBFs, over their .cpg and language byte.</summary>
internal static class EncodingOption
{
    public const string Name = "--encoding";

    /// <summary>The read options the command line asks for.</summary>
    /// <exception cref="UsageException">An encoding .NET does not know.</exception>
    public static ReadOptions Parse(CommandArgs parsed)
    {
        if (parsed.Option(Name) is not { } text) return ReadOptions.Default;
        try { return new ReadOptions(ReadOptions.ParseEncoding(text)); }
        catch (ArgumentException e) { throw new UsageException($"{Name}: {e.Message.Split(" (Parameter")[0]}"); }
    }
}
