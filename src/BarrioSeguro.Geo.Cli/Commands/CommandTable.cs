namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>Every <c>barrio</c> command, in the order <c>barrio --help</c> lists them.</summary>
public static class CommandTable
{
    public static IReadOnlyList<ICommand> All { get; } =
    [
        new ConvertCommand(),
        new ImportCommand(),
        new ImportOsmCommand(),
        new ExportCommand(),
        new NeighborhoodCommand(),
        new ValidateCommand(),
        new BlocksCommand(),
        new SectorizeCommand(),
        new EvaluateCommand(),
        new WhyCommand(),
        new CoverageCommand(),
        new RoutesCommand(),
        new FieldKitCommand(),
        new UserCommand(),
        new DeleteCommand(), // lifecycle (issue 13.5)
        new RestoreCommand(),
        new ImportsCommand(),
    ];

    /// <summary>The command with that name, or null.</summary>
    public static ICommand? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
