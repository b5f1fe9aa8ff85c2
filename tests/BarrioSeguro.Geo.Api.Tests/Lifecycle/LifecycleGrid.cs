using System.Security.Cryptography;
using System.Text;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Import;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Tests.Lifecycle;

/// <summary>
/// A made-up district far from the sample data (in the Mantaro valley) with a grid of streets that carry OSM ids:
/// 5 north-south streets (osm 1001-1005, "Calle 1".."Calle 5") and 5 east-west ones (osm 2001-2005, "Avenida 1"..),
/// 110 m apart, 16 blocks. Each test makes its own district, so tests never share a dataset.
/// </summary>
public sealed class LifecycleGrid
{
    public const double Step = 0.001;
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);
    private static int _next;

    public string Ubigeo { get; }
    public double Lon0 { get; }
    public double Lat0 { get; }

    public LifecycleGrid()
    {
        var n = Interlocked.Increment(ref _next) + Environment.ProcessId % 50 * 20;
        Ubigeo = $"99{n:D4}";
        Lon0 = -75.3 + n % 40 * 0.01;
        Lat0 = -12.1 - n / 40 * 0.01;
    }

    public Polygon Area(double margin = 0) => Rectangle(Lon0 - margin, Lat0 - margin, Lon0 + 4 * Step + margin, Lat0 + 4 * Step + margin);

    public static Polygon Rectangle(double x0, double y0, double x1, double y1) => Factory.CreatePolygon(
        [new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    /// <summary>The first extract: the full grid.</summary>
    public List<IFeature> Streets()
    {
        var list = new List<IFeature>();
        for (var i = 0; i < 5; i++)
            list.Add(Street(1001 + i, $"Calle {i + 1}", Lon0 + i * Step, Lat0, Lon0 + i * Step, Lat0 + 4 * Step));
        for (var j = 0; j < 5; j++)
            list.Add(Street(2001 + j, $"Avenida {j + 1}", Lon0, Lat0 + j * Step, Lon0 + 4 * Step, Lat0 + j * Step));
        return list;
    }

    /// <summary>The newer extract: Calle 3 (1003) gone, Calle 6 (1006, half way between 1 and 2) new, Avenida 2 (2002) renamed "Jirón 2".</summary>
    public List<IFeature> NewerStreets()
    {
        var list = Streets().Where(f => (long)f.Attributes["osm_id"] != 1003).ToList();
        var renamed = list.First(f => (long)f.Attributes["osm_id"] == 2002);
        renamed.Attributes["name"] = "Jirón 2";
        list.Add(Street(1006, "Calle 6", Lon0 + 0.5 * Step, Lat0, Lon0 + 0.5 * Step, Lat0 + 4 * Step));
        return list;
    }

    public static Feature Street(long osm, string name, double x0, double y0, double x1, double y1) =>
        new(Factory.CreateLineString([new(x0, y0), new(x1, y1)]), new AttributesTable
        {
            { "osm_id", osm }, { "name", name }, { "highway", "residential" },
        });

    /// <summary>Loads the district (through the real importer) so neighbourhoods and imports can name it.</summary>
    public async Task AddDistrictAsync(ApiFixture api)
    {
        var district = new Feature(Factory.CreateMultiPolygon([Area(0.002)]), new AttributesTable
        {
            { "ubigeo", Ubigeo }, { "name", $"Distrito de prueba {Ubigeo}" }, { "province", "Prueba" }, { "department", "Junín" },
        });
        await ImportAsync(api, "districts", [district], $"district-{Ubigeo}.geojson", new ImportOptions());
    }

    public Task<ImportResult> ImportStreetsAsync(ApiFixture api, List<IFeature> streets, string file) =>
        ImportAsync(api, "streets", streets, file, new ImportOptions { District = Ubigeo, User = "gis-test" });

    private static async Task<ImportResult> ImportAsync(ApiFixture api, string collection, List<IFeature> features, string file, ImportOptions options)
    {
        await using var scope = api.Require().Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
        // The checksum of what is loaded: a file with other features is another file.
        var text = string.Join("|", features.Select(f => f.Geometry.AsText() + string.Join(",", f.Attributes.GetValues())));
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file + text)));
        return await new CollectionImporter(db).ImportAsync(collection, features, file, sha, options);
    }

    /// <summary>A GeoJSON Feature body for POST /api/neighborhoods covering the grid.</summary>
    public object NeighborhoodBody(string name) => new
    {
        type = "Feature",
        properties = new { name, districtUbigeo = Ubigeo, status = "Draft" },
        geometry = new
        {
            type = "Polygon",
            coordinates = new[] { Area().Coordinates.Select(c => new[] { c.X, c.Y }).ToArray() },
        },
    };
}
