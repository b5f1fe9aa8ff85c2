using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// How the file commands (blocks, coverage, routes) read a street file: its lines kept, the rest left out with a
/// one-line warning on stderr, or refused with <c>--non-lines refuse</c>.
/// </summary>
internal static class StreetInput
{
    /// <summary>The option that says what to do with features that are not lines.</summary>
    public const string Option = "--non-lines";

    /// <summary>The option's lines for a command's help, descriptions starting at <paramref name="column"/> like the others.</summary>
    public static string Help(int column = 21)
    {
        var pad = new string(' ', column);
        return string.Join("\n",
            "  --non-lines skip|refuse",
            pad + "features of STREETS that are not lines (Points, MultiPoints, collections",
            pad + "without lines: what clipping leaves where a street touches the boundary).",
            pad + "skip: left out and named in one warning; refuse: stop at the first one and",
            pad + "write nothing. A GeometryCollection keeps its lines (refuse: refused).",
            pad + "Default: skip");
    }

    /// <summary>The policy given by <see cref="Option"/>, default <see cref="NonLines.Skip"/>.</summary>
    /// <exception cref="UsageException">Neither skip nor refuse.</exception>
    public static NonLines Policy(CommandArgs parsed)
    {
        if (parsed.Option(Option) is not { } text) return NonLines.Skip;
        try { return StreetGeometry.ParseNonLines(text); }
        catch (ArgumentException) { throw new UsageException($"{Option} must be skip or refuse, not '{text}'"); }
    }

    /// <summary>The line features of a street file; notes go to stderr as "warning: FILE: ...".</summary>
    /// <exception cref="CommandFailedException">The file cannot be read, or a feature is refused.</exception>
    public static FeatureSet Read(string path, CommandArgs parsed, CommandContext context) => ReadFile(path, parsed, context).Lines;

    /// <summary>As <see cref="Read"/>, with the notes written to stderr returned too (the coverage graph cache keeps them).</summary>
    /// <exception cref="CommandFailedException">The file cannot be read, or a feature is refused.</exception>
    public static StreetFile ReadFile(string path, CommandArgs parsed, CommandContext context)
    {
        var policy = Policy(parsed);
        StreetFile file;
        try
        {
            file = StreetFile.Read(path, policy);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
        CliWarnings.Write(context, path, file.Notes);
        return file;
    }
}
