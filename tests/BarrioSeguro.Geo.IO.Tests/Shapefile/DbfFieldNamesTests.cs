using System.Text;
using BarrioSeguro.Geo.IO.Shapefile;

namespace BarrioSeguro.Geo.IO.Tests.Shapefile;

public class DbfFieldNamesTests
{
    [Theory]
    [InlineData("nombre", "nombre")]
    [InlineData("ubicación1", "ubicación")]          // 11 bytes in UTF-8: the "1" goes
    [InlineData("population_total", "population")]
    [InlineData("comisaría_más_cercana", "comisaría")] // cut before "_" keeps 10 bytes
    [InlineData("ñañañañaña", "ñañaña")]               // ñ is 2 bytes: 9 bytes fit, the next ñ would make 11
    [InlineData("año€€€", "año€€")]                   // never half a character: 4 + 6 = 10 bytes
    [InlineData("", "field")]
    [InlineData("  ", "field")]
    public void Single_name(string input, string expected)
    {
        var name = Assert.Single(DbfFieldNames.Make([input]));
        Assert.Equal(expected, name);
        Assert.True(Encoding.UTF8.GetByteCount(name) <= 10);
    }

    [Theory]
    [InlineData(new[] { "population_total", "population_male" }, new[] { "population", "populati_1" })]
    [InlineData(new[] { "ubicación1", "ubicación2", "ubicación3" }, new[] { "ubicación", "ubicaci_1", "ubicaci_2" })]
    [InlineData(new[] { "Nombre", "nombre" }, new[] { "Nombre", "nombre_1" })]              // DBF readers ignore case
    [InlineData(new[] { "population_total", "population" }, new[] { "populati_1", "population" })] // a name that fits keeps it
    [InlineData(new[] { "abcdefghijX", "abcdefghijY", "abcdefgh_1" }, new[] { "abcdefghij", "abcdefgh_2", "abcdefgh_1" })]
    public void Collisions(string[] input, string[] expected) => Assert.Equal(expected, DbfFieldNames.Make(input));

    [Fact]
    public void Ten_or_more_collisions_keep_ten_bytes()
    {
        var input = Enumerable.Range(0, 12).Select(i => $"categoria_{i:00}_x").ToArray();
        var names = DbfFieldNames.Make(input);
        Assert.Equal(12, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names, n => Assert.True(Encoding.UTF8.GetByteCount(n) <= 10, n));
        Assert.Equal(["categoria_", "categori_1", "categori_9", "categor_10", "categor_11"], [names[0], names[1], names[9], names[10], names[11]]);
    }

    [Fact]
    public void Same_input_same_output() =>
        Assert.Equal(DbfFieldNames.Make(["a_very_long_name", "a_very_long_other"]), DbfFieldNames.Make(["a_very_long_name", "a_very_long_other"]));
}
