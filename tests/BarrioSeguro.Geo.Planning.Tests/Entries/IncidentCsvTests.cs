using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Planning.Entries;
using Xunit;

namespace BarrioSeguro.Geo.Planning.Tests.Entries;

/// <summary>Incidents from CSV as chiefs keep them: separators, quotes, Spanish headers, Lima time, UTM; refusals by line and column.</summary>
public class IncidentCsvTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Semicolons_quotes_a_BOM_and_Spanish_headers_read_in_Lima_time()
    {
        var text = "\uFEFFLongitud;Latitud;Fecha;Hora;Categoría\r\n-79.06;-8.08;04/03/2024;21:30;\"robo; al paso\"\r\n\r\n-79.07;-8.09;2024-03-05;;\"hurto \"\"menor\"\"\"\r\n";
        var result = IncidentCsv.Read(text, null, Now);
        Assert.Empty(result.Problems);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal(("robo; al paso", 2, new DateTimeOffset(2024, 3, 5, 2, 30, 0, TimeSpan.Zero)),
            (result.Rows[0].Category, result.Rows[0].Line, result.Rows[0].OccurredAt.ToUniversalTime()));
        Assert.Equal(("hurto \"menor\"", 4, new DateTimeOffset(2024, 3, 5, 5, 0, 0, TimeSpan.Zero)),
            (result.Rows[1].Category, result.Rows[1].Line, result.Rows[1].OccurredAt.ToUniversalTime()));
    }

    [Fact]
    public void A_date_time_with_its_own_offset_keeps_it_and_x_y_are_read_in_the_CRS_given()
    {
        var (x, y) = Crs.Transform(-79.06, -8.08, 4326, 32717);
        var text = FormattableString.Invariant($"x,y,datetime,category\n{x},{y},2024-03-04T21:30:00Z,robo\n");
        var row = Assert.Single(IncidentCsv.Read(text, 32717, Now).Rows);
        Assert.Equal(new DateTimeOffset(2024, 3, 4, 21, 30, 0, TimeSpan.Zero), row.OccurredAt);
        Assert.Equal(-79.06, row.Lon, 6);
        Assert.Equal(-8.08, row.Lat, 6);
        var refused = Assert.Single(IncidentCsv.Read(text, null, Now).Problems);
        Assert.Equal((1, "x", "csv.crs_needed"), (refused.Line, refused.Column, refused.Reason.Code));
    }

    [Fact]
    public void Bad_cells_are_named_by_line_and_column_and_no_row_is_kept()
    {
        var text = "lon,lat,date,category\n-79.06,-8.08,2024-03-04,robo\n-79.06,-8.08,2024-02-30,robo\n-79.06,-8.08\n-79.06,-8.08,1985-01-01,robo\n";
        var result = IncidentCsv.Read(text, null, Now);
        Assert.Empty(result.Rows);
        Assert.Equal([(3, "date", "csv.bad_date"), (4, "", "csv.field_count"), (5, "date", "entry.too_old")],
            result.Problems.Select(p => (p.Line, p.Column, p.Reason.Code)).ToList());
        Assert.Equal("csv.missing_column", Assert.Single(IncidentCsv.Read("lat,date,category\n", null, Now).Problems).Reason.Code);
        Assert.Equal("csv.empty", Assert.Single(IncidentCsv.Read("\n\n", null, Now).Problems).Reason.Code);
    }

    [Fact]
    public void At_most_twenty_problems_are_listed()
    {
        var text = "lon,lat,date,category\n" + string.Concat(Enumerable.Repeat("x,-8.08,2024-03-04,robo\n", 50));
        var result = IncidentCsv.Read(text, null, Now);
        Assert.Equal(IncidentCsv.MaxProblems, result.Problems.Count);
        Assert.Equal(Enumerable.Range(2, IncidentCsv.MaxProblems), result.Problems.Select(p => p.Line));
    }
}
