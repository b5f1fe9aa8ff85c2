using BarrioSeguro.Geo.Planning;

namespace BarrioSeguro.Geo.Planning.Tests;

public class NamesTests
{
    [Theory]
    [InlineData(0, "S1")]
    [InlineData(9, "S10")]
    public void Sectors_are_labelled_from_S1(int sector, string label)
    {
        Assert.Equal(label, SectorLabel.Of(sector));
        Assert.Equal(sector, SectorLabel.Parse(label));
    }

    [Theory]
    [InlineData("Mar")]
    [InlineData("S0")]
    [InlineData("S")]
    public void A_name_that_is_not_a_label_has_no_number(string name) => Assert.Null(SectorLabel.Parse(name));

    [Fact]
    public void One_table_of_shift_names_with_Spanish_codes_and_English_display_names()
    {
        Assert.Equal(["mañana", "tarde", "noche"], Shifts.Of(3).Select(s => s.Code));
        Assert.Equal(["día", "noche"], Shifts.Of(2).Select(s => s.Code));
        Assert.Equal(["turno 1", "turno 2", "turno 3", "turno 4"], Shifts.Of(4).Select(s => s.Code));
        Assert.Equal(["morning", "afternoon", "night"], Shifts.Of(3).Select(s => s.Display("en")));
        Assert.Equal("mañana", Shifts.Code("Morning"));
        Assert.Equal("noche", Shifts.Code(" noche "));
        Assert.Equal("guardia", Shifts.Code("guardia"));
    }

    [Fact]
    public void Route_names_say_sector_and_shift() => Assert.Equal("Sector S2 · turno tarde", RouteName.Of("S2", "tarde"));

    [Fact]
    public void Lima_is_UTC_minus_5_all_year()
    {
        var start = LimaTime.At(new DateOnly(2025, 7, 1), new TimeOnly(22, 0));
        Assert.Equal(new DateTimeOffset(2025, 7, 2, 3, 0, 0, TimeSpan.Zero), start.ToUniversalTime());
        Assert.Equal("23:15", LimaTime.Clock(start, 75));
        Assert.Equal("00:30", LimaTime.Clock(start, 150));
        Assert.Equal("2025-07-01T22:00:00-05:00", LimaTime.Stamp(start));
    }
}
