namespace BarrioSeguro.Geo.Cli.Tests;

public class ProgramTests
{
    [Theory]
    [InlineData(new string[0], 2, "barrio: no command given. Run 'barrio --help' for the list.")]
    [InlineData(new[] { "frobnicate" }, 2, "barrio: unknown command 'frobnicate'. Run 'barrio --help' for the list.")]
    public void Usage_errors(string[] args, int code, string message)
    {
        var run = CliRun.Of(args);
        Assert.Equal(code, run.ExitCode);
        Assert.Equal(message, run.ErrorLine);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Overview_lists_the_commands(string flag)
    {
        var run = CliRun.Of(flag);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage: barrio COMMAND", run.Out);
        Assert.Contains("convert", run.Out);
    }

    [Theory]
    [InlineData("convert", "--help")]
    [InlineData("convert", "a.geojson", "-h")]
    [InlineData("help", "convert")]
    public void Command_help(params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage: barrio convert IN OUT [--crs EPSG:n]", run.Out);
        Assert.Equal("", run.Error);
    }
}
