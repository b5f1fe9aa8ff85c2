using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// Painting sectors through the API: the basis, evaluating moves, refusals with their codes (splits, locks), keeping
/// the painted plan as a new kept plan (parameters, fingerprint, list, compare, audit) and who may do it.
/// </summary>
[Collection(ApiCollection.Name)]
public class PlanEditEndpointsTests(ApiFixture api)
{
    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    /// <summary>A kept plan of El Milagro in 3 sectors and its basis.</summary>
    private async Task<(int Neighborhood, int Plan, JsonElement Basis)> PlanAsync(int seed)
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var created = await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 3, seed });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var plan = (await Body(created)).GetProperty("id").GetInt32();
        var basis = await client.GetAsync($"/api/plans/{plan}/paint");
        Assert.True(basis.StatusCode == HttpStatusCode.OK, await basis.Content.ReadAsStringAsync());
        return (id, plan, await Body(basis));
    }

    private sealed record Block(string Id, int Sector, double Workload, int[] Neighbours);

    private static List<Block> Blocks(JsonElement basis) => basis.GetProperty("blocks").EnumerateArray().Select(b => new Block(
        b.GetProperty("id").GetString()!, b.GetProperty("sector").GetInt32(), b.GetProperty("workload").GetDouble(),
        b.GetProperty("neighbours").EnumerateArray().Select(n => (int)n[0].GetDouble()).ToArray())).ToList();

    private static bool StaysWhole(List<Block> blocks, int s, int without) =>
        Endpoints.PaintChecks.StaysWhole(blocks.Select(b => b.Sector).ToList(), blocks.Select(b => b.Neighbours).ToList(), s, without);

    /// <summary>A block of sector `from` next to sector `to` whose move keeps `from` whole.</summary>
    private static int Movable(List<Block> blocks, int from, int to, IEnumerable<int>? not = null) =>
        Enumerable.Range(0, blocks.Count).First(i => blocks[i].Sector == from && !(not ?? []).Contains(i)
            && blocks[i].Neighbours.Any(j => blocks[j].Sector == to) && StaysWhole(blocks, from, i));

    [SkippableFact]
    public async Task Evaluating_a_painted_block_moves_its_workload_and_keeping_it_makes_a_new_comparable_audited_plan()
    {
        var (neighborhood, planId, basis) = await PlanAsync(31);
        var blocks = Blocks(basis);
        Assert.Equal(3, basis.GetProperty("k").GetInt32());
        Assert.True(basis.GetProperty("travelLocal").GetBoolean());
        Assert.Equal(blocks.Count, basis.GetProperty("geometry").GetProperty("features").GetArrayLength());
        var client = api.Client();
        var parent = await Body(await client.GetAsync($"/api/plans/{planId}"));

        var i = Movable(blocks, 0, 1);
        var moves = new Dictionary<string, int> { [blocks[i].Id] = 1 };
        var response = await client.PostAsJsonAsync($"/api/plans/{planId}/evaluate", new { moves });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var evaluated = await Body(response);
        Assert.Equal(1, evaluated.GetProperty("blocksMoved").GetInt32());
        var total = blocks.Sum(b => b.Workload);
        Assert.Equal(blocks[i].Workload / total * 100, evaluated.GetProperty("workloadMovedPct").GetDouble(), 2);
        var report = evaluated.GetProperty("report");
        var sectors = report.GetProperty("sectors").EnumerateArray().ToList();
        // Same shape as the kept plan's report, and the figures follow the move.
        foreach (var key in new[] { "sectors", "k", "maxDeviationPct", "contiguous", "meanPolsbyPopper", "travel", "weights" })
            Assert.True(report.TryGetProperty(key, out _) && parent.GetProperty("report").TryGetProperty(key, out _), key);
        for (var s = 0; s < 3; s++)
        {
            var expected = blocks.Where((b, j) => (j == i ? 1 : b.Sector) == s).Sum(b => b.Workload);
            Assert.Equal(expected, sectors[s].GetProperty("workload").GetDouble(), 2);
        }
        Assert.True(report.GetProperty("contiguous").GetBoolean());
        Assert.True(report.GetProperty("travel").GetProperty("totalWeightedMinutes").GetDouble() > 0);

        // Kept as a new plan: 201 + Location, its parameters say where it came from.
        var kept = await client.PostAsJsonAsync($"/api/plans/{planId}/edits", new { moves, locks = new { sectors = new[] { 2 } } });
        Assert.True(kept.StatusCode == HttpStatusCode.Created, await kept.Content.ReadAsStringAsync());
        var location = kept.Headers.Location!.ToString();
        var newPlan = await Body(await client.GetAsync(location));
        var newId = newPlan.GetProperty("id").GetInt32();
        Assert.Equal($"/api/plans/{newId}", location);
        Assert.NotEqual(planId, newId);
        var parameters = newPlan.GetProperty("parameters");
        Assert.Equal("edit", parameters.GetProperty("command").GetString());
        Assert.Equal(planId, parameters.GetProperty("editedFromPlanId").GetInt32());
        Assert.Equal(1, parameters.GetProperty("moves").GetProperty(blocks[i].Id).GetInt32());
        Assert.Equal([2], parameters.GetProperty("lockedSectors").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(parent.GetProperty("seed").GetInt32(), newPlan.GetProperty("seed").GetInt32());
        Assert.Equal(parent.GetProperty("dataVersion").GetString(), newPlan.GetProperty("dataVersion").GetString());
        Assert.Equal(ApiFixture.AdminName, newPlan.GetProperty("author").GetString());
        Assert.Contains($"#{planId}", newPlan.GetProperty("name").GetString());
        var notes = newPlan.GetProperty("report").GetProperty("notes").EnumerateArray().ToList();
        Assert.Contains(notes, n => n.GetProperty("code").GetString() == "sectors.edited" && n.GetProperty("text").GetString()!.StartsWith("Editado a mano"));
        Assert.Equal(sectors.Select(s => s.GetProperty("workload").GetDouble()),
            newPlan.GetProperty("report").GetProperty("sectors").EnumerateArray().Select(s => s.GetProperty("workload").GetDouble()));

        // Listed, comparable with its parent, and its sectors drawn from the new assignment.
        var list = await Body(await client.GetAsync($"/api/neighborhoods/{neighborhood}/plans"));
        Assert.Equal(newId, list[0].GetProperty("id").GetInt32());
        var compare = await Body(await client.GetAsync($"/api/plans/compare?a={planId}&b={newId}"));
        Assert.Equal(1, compare.GetProperty("blocksChanged").GetInt32());
        Assert.True(compare.GetProperty("sameData").GetBoolean());
        var newBlocks = (await Body(await client.GetAsync($"/api/plans/{newId}/sectors"))).GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("properties").GetProperty("sector").GetInt32(), f => f.GetProperty("properties").GetProperty("blocks").GetInt32());
        Assert.Equal(blocks.Count(b => b.Sector == 1) + 1, newBlocks[1]);

        // The audit trail keeps who kept it.
        var audit = await Body(await client.GetAsync($"/api/audit?resourceKind=plans&resourceId={newId}"));
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "POST /api/plans/{planId}/edits"
            && e.GetProperty("status").GetInt32() == 201 && e.GetProperty("user").GetString() == ApiFixture.AdminName);

        // Nothing moved: nothing to keep.
        var nothing = await client.PostAsJsonAsync($"/api/plans/{planId}/edits", new { moves = new Dictionary<string, int>() });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nothing.StatusCode);
        Assert.Equal("sectors.edit_nothing", (await Body(nothing)).GetProperty("code").GetString());
    }

    [SkippableFact]
    public async Task Splitting_moves_and_locked_blocks_or_sectors_are_refused_with_their_code_in_the_readers_language()
    {
        var (_, planId, basis) = await PlanAsync(32);
        var blocks = Blocks(basis);
        var client = api.Client();

        // A block of S1 far from S2 painted into S2: S2 would be in two pieces.
        var far = Enumerable.Range(0, blocks.Count).First(i => blocks[i].Sector == 0 && blocks[i].Neighbours.All(j => blocks[j].Sector == 0) && StaysWhole(blocks, 0, i));
        var split = await client.PostAsJsonAsync($"/api/plans/{planId}/evaluate", new { moves = new Dictionary<string, int> { [blocks[far].Id] = 1 } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, split.StatusCode);
        var problem = await Body(split);
        Assert.Equal("sectors.move_splits", problem.GetProperty("code").GetString());
        Assert.Equal("S2", problem.GetProperty("args").GetProperty("sector").GetString());
        Assert.Equal([blocks[far].Id], problem.GetProperty("args").GetProperty("blocks").EnumerateArray().Select(b => b.GetString()));
        Assert.Contains("partido", problem.GetProperty("detail").GetString());
        var english = await client.PostAsJsonAsync($"/api/plans/{planId}/evaluate?lang=en", new { moves = new Dictionary<string, int> { [blocks[far].Id] = 1 } });
        Assert.Contains("split into separate pieces", (await Body(english)).GetProperty("detail").GetString());
        // Nothing is kept from a refused edit.
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await client.PostAsJsonAsync($"/api/plans/{planId}/edits", new { moves = new Dictionary<string, int> { [blocks[far].Id] = 1 } })).StatusCode);

        // Locks are honoured: the block itself, the sector it leaves, the sector it would join.
        var i = Movable(blocks, 0, 1);
        var moves = new Dictionary<string, int> { [blocks[i].Id] = 1 };
        async Task<string?> Code(object locks)
        {
            var r = await client.PostAsJsonAsync($"/api/plans/{planId}/evaluate", new { moves, locks });
            return r.StatusCode == HttpStatusCode.OK ? null : (await Body(r)).GetProperty("code").GetString();
        }
        Assert.Equal("sectors.move_locked", await Code(new { blocks = new[] { blocks[i].Id } }));
        Assert.Equal("sectors.move_sector_locked", await Code(new { sectors = new[] { 0 } }));
        Assert.Equal("sectors.move_sector_locked", await Code(new { sectors = new[] { 1 } }));
        Assert.Null(await Code(new { sectors = new[] { 2 }, blocks = new[] { blocks.First(b => b.Sector == 2).Id } }));
        Assert.Equal("sectors.lock_unknown", await Code(new { blocks = new[] { "no-such-block" } }));
        var unknown = await client.PostAsJsonAsync($"/api/plans/{planId}/evaluate", new { moves = new Dictionary<string, int> { [blocks[i].Id] = 7 } });
        Assert.Equal("sectors.move_unknown_sector", (await Body(unknown)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/plans/999999/evaluate", new { moves })).StatusCode);
    }

    [SkippableFact]
    public async Task Only_a_chief_of_the_plans_district_may_evaluate_or_keep_edits_and_a_viewer_may_read_the_basis()
    {
        var (neighborhood, planId, basis) = await PlanAsync(33);
        var blocks = Blocks(basis);
        var moves = new Dictionary<string, int> { [blocks[Movable(blocks, 1, 2)].Id] = 2 };
        string ubigeo, other;
        await using (var scope = api.Require().Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
            ubigeo = (await db.Neighborhoods.Where(n => n.Id == neighborhood).Select(n => n.DistrictUbigeo).SingleAsync())!;
            other = await db.Districts.Where(d => d.Ubigeo != ubigeo).Select(d => d.Ubigeo).OrderBy(u => u).FirstAsync();
        }
        var viewer = await api.ClientAs(Role.Viewer, ubigeo);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/plans/{planId}/paint")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/plans/{planId}/evaluate", new { moves })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/plans/{planId}/edits", new { moves })).StatusCode);
        var outsider = await api.ClientAs(Role.Chief, other);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsJsonAsync($"/api/plans/{planId}/evaluate", new { moves })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsJsonAsync($"/api/plans/{planId}/edits", new { moves })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.AnonymousClient().PostAsJsonAsync($"/api/plans/{planId}/evaluate", new { moves })).StatusCode);
        var chief = await api.ClientAs(Role.Chief, ubigeo);
        Assert.Equal(HttpStatusCode.OK, (await chief.PostAsJsonAsync($"/api/plans/{planId}/evaluate", new { moves })).StatusCode);
        var kept = await chief.PostAsJsonAsync($"/api/plans/{planId}/edits", new { moves });
        Assert.Equal(HttpStatusCode.Created, kept.StatusCode);
        Assert.Equal($"chief-{ubigeo}", (await Body(kept)).GetProperty("author").GetString());
    }
}
