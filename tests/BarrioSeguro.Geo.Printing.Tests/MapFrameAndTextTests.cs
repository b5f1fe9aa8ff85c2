using System.Reflection;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace BarrioSeguro.Geo.Printing.Tests;

public class MapFrameTests
{
    [Fact]
    public void North_is_up_one_scale_serves_both_axes_and_the_extent_is_centred_inside_the_page()
    {
        var page = new SKRect(0, 0, 400, 200);
        var frame = new MapFrame(new Envelope(1000, 1100, 5000, 5400), page);
        var north = frame.ToPage(1050, 5400);
        var south = frame.ToPage(1050, 5000);
        Assert.True(north.Y < south.Y, "north is up");
        // 100 m east spans as many points as 100 m north.
        var east = frame.ToPage(1150, 5400);
        Assert.Equal(east.X - north.X, (south.Y - north.Y) / 4, 3);
        Assert.Equal(frame.Scale * 100, east.X - north.X, 3);
        var centre = frame.ToPage(1050, 5200);
        Assert.Equal(200, centre.X, 3);
        Assert.Equal(100, centre.Y, 3);
        // The tall extent fits the page's height, with a margin.
        Assert.True(north.Y > 0 && south.Y < 200);
    }

    [Fact]
    public void An_empty_extent_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new MapFrame(new Envelope(), new SKRect(0, 0, 10, 10)));
    }
}

public class FieldKitTextTests
{
    [Fact]
    public void Spanish_is_the_default_and_English_is_there_by_its_code()
    {
        Assert.Same(FieldKitText.Spanish, FieldKitText.For(null));
        Assert.Same(FieldKitText.Spanish, FieldKitText.For("fr"));
        Assert.Same(FieldKitText.English, FieldKitText.For(" EN "));
        Assert.Equal("es-PE", FieldKitText.Spanish.Culture.Name);
    }

    [Fact]
    public void Every_word_is_filled_in_in_each_language_and_differs_where_the_languages_do()
    {
        var words = typeof(FieldKitText).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string)).ToList();
        Assert.True(words.Count > 30);
        foreach (var t in FieldKitText.All)
            foreach (var w in words)
                Assert.False(string.IsNullOrWhiteSpace((string?)w.GetValue(t)), $"{t.Language}: {w.Name} is empty");
        Assert.NotEqual(FieldKitText.Spanish.NoRoute, FieldKitText.English.NoRoute);
    }

    [Fact]
    public void Dates_and_numbers_read_as_in_each_language()
    {
        var day = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(-5));
        Assert.Equal("1 de diciembre de 2026", FieldKitText.Spanish.Date(day));
        Assert.Equal("1 December 2026", FieldKitText.English.Date(day));
        Assert.Equal("1:05", FieldKitText.Clock(65));
        Assert.Equal("1,234.5", FieldKitText.English.Number(1234.5, 1));
    }
}
