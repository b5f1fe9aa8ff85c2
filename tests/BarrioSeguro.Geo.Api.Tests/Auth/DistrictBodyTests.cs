using System.Net;
using System.Text;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Auth;

/// <summary>A body cannot place a neighbourhood outside the user's districts (the route's district is the gate's).</summary>
[Collection(ApiCollection.Name)]
public class DistrictBodyTests(ApiFixture api)
{
    private static StringContent Feature(string name, string ubigeo) => new($$$"""
        {"type":"Feature","properties":{"name":"{{{name}}}","districtUbigeo":"{{{ubigeo}}}","status":"draft"},
         "geometry":{"type":"Polygon","coordinates":[[[-79.130,-8.100],[-79.125,-8.100],[-79.125,-8.095],[-79.130,-8.095],[-79.130,-8.100]]]}}
        """, Encoding.UTF8, "application/geo+json");

    [SkippableFact]
    public async Task A_planner_creates_only_in_its_districts_and_cannot_move_a_neighbourhood_out_of_them()
    {
        var milagro = await api.MilagroIdAsync();
        string ubigeo, other;
        await using (var scope = api.Require().Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
            ubigeo = (await db.Neighborhoods.Where(n => n.Id == milagro).Select(n => n.DistrictUbigeo).SingleAsync())!;
            other = await db.Districts.Where(d => d.Ubigeo != ubigeo).Select(d => d.Ubigeo).OrderBy(u => u).FirstAsync();
        }
        var planner = await api.ClientAs(Role.Planner, ubigeo);
        var suffix = Guid.NewGuid().ToString("N")[..6];

        var outside = await planner.PostAsync("/api/neighborhoods", Feature($"Fuera {suffix}", other));
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Contains(other, (await ApiFixture.JsonOf(outside)).GetProperty("detail").GetString());

        var inside = await planner.PostAsync("/api/neighborhoods", Feature($"Dentro {suffix}", ubigeo));
        Assert.Equal(HttpStatusCode.Created, inside.StatusCode);
        var location = inside.Headers.Location!.ToString();

        using var move = new HttpRequestMessage(HttpMethod.Put, location) { Content = Feature($"Dentro {suffix}", other) };
        move.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.Forbidden, (await planner.SendAsync(move)).StatusCode);
        var kept = await ApiFixture.JsonOf(await planner.GetAsync(location));
        Assert.Equal(ubigeo, kept.GetProperty("properties").GetProperty("districtUbigeo").GetString());
    }
}
