using BarrioSeguro.Geo.Core.Domain;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Domain;

public class PlaceNamesTests
{
    [Theory]
    [InlineData("FLORENCIA DE MORA", "Florencia de Mora")]
    [InlineData("florencia de mora", "Florencia de Mora")]
    [InlineData("LA ESPERANZA", "La Esperanza")]
    [InlineData("SAN JUAN DE LA VIRGEN", "San Juan de la Virgen")]
    [InlineData("LOS BAÑOS DEL INCA", "Los Baños del Inca")]
    [InlineData("ÑAHUIMPUQUIO", "Ñahuimpuquio")]
    [InlineData("ANCO_HUALLO", "Anco Huallo")]
    [InlineData("VICTOR LARCO HERRERA", "Victor Larco Herrera")]
    [InlineData("la libertad", "La Libertad")]
    [InlineData("VILLA EL SALVADOR", "Villa El Salvador")]
    [InlineData("  EL   PORVENIR ", "El Porvenir")]
    public void Display_writes_names_in_Spanish_title_case(string inei, string shown) => Assert.Equal(shown, PlaceNames.Display(inei));

    [Fact]
    public void Display_of_nothing_is_nothing() => Assert.Null(PlaceNames.Display("  "));

    [Theory]
    [InlineData("Nuñoa", "nunoa")]
    [InlineData("NUÑOA", "nunoa")]
    [InlineData("Víctor  Larco", "victor larco")]
    [InlineData("Ferreñafe", "ferrenafe")]
    [InlineData("Pariñas", "parinas")]
    public void Fold_drops_case_accents_and_the_tilde(string name, string folded) => Assert.Equal(folded, PlaceNames.Fold(name));

    [Fact]
    public void The_SQL_fold_maps_each_accented_letter_to_the_same_as_the_CSharp_fold()
    {
        Assert.Equal(PlaceNames.FoldFrom.Length, PlaceNames.FoldTo.Length);
        for (var i = 0; i < PlaceNames.FoldFrom.Length; i++)
            Assert.Equal(PlaceNames.Fold(PlaceNames.FoldFrom[i].ToString()), PlaceNames.FoldTo[i].ToString().ToLowerInvariant());
    }
}
