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
        Assert.Contains("  fieldkit ", run.Out);
    }

    [Fact]
    public void The_benchmarks_are_not_a_command_of_the_product_but_the_overview_says_where_they_are()
    {
        Assert.DoesNotContain(BarrioSeguro.Geo.Cli.Commands.CommandTable.All, c => c.Name == "bench");
        Assert.Equal(2, CliRun.Of("bench", "blocks").ExitCode);
        var overview = CliRun.Of("help").Out;
        Assert.DoesNotMatch(@"(?m)^  bench ", overview);
        Assert.Contains("bench NAME (speed targets; tools/BarrioSeguro.Geo.Bench)", overview);
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
