using System.Globalization;
using BarrioSeguro.Geo.Data.Lifecycle;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>What <c>barrio delete</c> and <c>barrio restore</c> share: the kinds, the version check, the audit row.</summary>
internal static class Lifecycle
{
    public const string Kinds = "neighborhood, plan or import";

    public static string Help(string verb, string what) => $"""
        Usage: barrio {verb} neighborhood|plan|import ID [--version N] [--db CONNECTION] [--as NAME]

        {what}
          --version N      the version the change starts from (the API's If-Match): refused when another is
                           current. Default: the current one. A kept plan's version is always 1; an import's is
                           its version number in its dataset.
        {CliDatabase.Help}
        {CliAudit.Help}
        Each change, or refusal, leaves a row in the audit trail.
        """;

    public static (string Kind, int Id, int? Version, CommandArgs Parsed) Parse(IReadOnlyList<string> args, string verb)
    {
        var p = CommandArgs.Parse(args, "--version", "--db", CliAudit.AsOption);
        if (p.Positionals.Count != 2) throw new UsageException($"usage: barrio {verb} {Kinds.Replace(", ", "|").Replace(" or ", "|")} ID");
        var kind = p.Positionals[0] switch
        {
            "neighborhood" or "neighbourhood" => "neighborhood",
            "plan" => "plan",
            "import" => "import",
            var other => throw new UsageException($"unknown kind '{other}' (one of {Kinds})"),
        };
        if (!int.TryParse(p.Positionals[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new UsageException($"ID must be a whole number, not '{p.Positionals[1]}'");
        int? version = null;
        if (p.Option("--version") is { } v)
            version = int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"--version must be a whole number, not '{v}'");
        return (kind, id, version, p);
    }

    /// <summary>Runs one delete or restore, audits it, and turns every refusal into one line (exit 1).</summary>
    public static int Run(IReadOnlyList<string> args, CommandContext context, string verb,
        Func<LifecycleStore, string, int, int?, string, CancellationToken, Task<(LifecycleResult Result, int Current)?>> act)
    {
        var (kind, id, version, p) = Parse(args, verb);
        var user = CliAudit.User(p);
        return RunAsync().GetAwaiter().GetResult();

        async Task<int> RunAsync()
        {
            await using var database = await CliDatabase.OpenAsync(p.Option("--db"), CancellationToken.None);
            await using var db = database.NewContext();
            var outcome = await act(new LifecycleStore(db), kind, id, version, user, CancellationToken.None);
            var (status, message) = outcome is not { } o
                ? (404, $"no {Name(kind)} {id}")
                : o.Result.Outcome switch
                {
                    LifecycleOutcome.Done => (200, Done(verb, kind, id, o.Result)),
                    LifecycleOutcome.Stale => (412, $"{Name(kind)} {id} is at version {o.Result.Version}, not {version}{(o.Result.ChangedBy is { } who ? $" (last changed by {who})" : "")}: nothing {verb}d"),
                    LifecycleOutcome.NotDeleted => (409, $"{Name(kind)} {id} is not deleted"),
                    LifecycleOutcome.NeighborhoodDeleted => (409, $"the neighbourhood of plan {id} is deleted: restore the neighbourhood (its plans come back with it)"),
                    LifecycleOutcome.NotCurrent => (409, $"import {id} is not the current version of its dataset (import {o.Result.CurrentImportId?.ToString(CultureInfo.InvariantCulture) ?? "none"} is): {verb} the newest one first"),
                    LifecycleOutcome.NotVersioned => (409, $"import {id} is of a collection not kept in versions (only streets and stations can be deleted)"),
                    _ => (404, $"no {Name(kind)} {id}"),
                };
            await CliAudit.AppendAsync(database, user, verb, kind, id.ToString(CultureInfo.InvariantCulture), status, ("version", version));
            if (status != 200) throw new CommandFailedException(message);
            context.Out.WriteLine(message);
            return ExitCodes.Ok;
        }
    }

    private static string Name(string kind) => kind == "neighborhood" ? "neighbourhood" : kind;

    private static string Done(string verb, string kind, int id, LifecycleResult r) => kind switch
    {
        "neighborhood" => $"{Name(kind)} {id} {verb}d, with {r.Plans} plan(s)",
        "import" => $"import {id} {verb}d: {r.Features} feature(s) changed; import {r.CurrentImportId?.ToString(CultureInfo.InvariantCulture) ?? "none"} is current",
        _ => $"{Name(kind)} {id} {verb}d",
    };
}

/// <summary><c>barrio delete neighborhood|plan|import ID</c>: soft delete, restorable.</summary>
public sealed class DeleteCommand : ICommand
{
    public string Name => "delete";

    public string Summary => "Delete a neighbourhood (with its plans), a kept plan or an import (kept, restorable)";

    public string Help => Lifecycle.Help("delete", """
        Deletes what ID names; it is kept, hidden from every list, and `barrio restore` brings it back as it was.
        A neighbourhood goes with its plans (they come back with it). An import must be the newest version of
        its dataset (streets or stations of a district): its features go and the version it replaced is current.
        """) + "\n    Example: barrio delete plan 12\n";

    public int Run(IReadOnlyList<string> args, CommandContext context) => Lifecycle.Run(args, context, "delete", async (store, kind, id, version, user, ct) =>
    {
        switch (kind)
        {
            case "neighborhood":
                var n = await store.AnyNeighborhoodAsync(id, ct);
                if (n is null || n.DeletedAt is not null) return null;
                return (await store.DeleteNeighborhoodAsync(id, version ?? n.Version, user, ct), n.Version);
            case "plan":
                var p = await store.AnyPlanAsync(id, ct);
                if (p is null || p.DeletedAt is not null) return null;
                return (await store.DeletePlanAsync(id, version ?? LifecycleStore.PlanVersion, user, ct), LifecycleStore.PlanVersion);
            default:
                var d = await store.AnyImportAsync(id, ct);
                if (d is null || d.DeletedAt is not null) return null;
                return (await store.DeleteImportAsync(id, version ?? d.Version, user, ct), d.Version);
        }
    });
}

/// <summary><c>barrio restore neighborhood|plan|import ID</c>.</summary>
public sealed class RestoreCommand : ICommand
{
    public string Name => "restore";

    public string Summary => "Restore a deleted neighbourhood (with its plans), plan or import";

    public string Help => Lifecycle.Help("restore", """
        Restores what `barrio delete` deleted, as it was. A neighbourhood comes back with the plans deleted with
        it; a plan whose neighbourhood is deleted waits for the neighbourhood; an import comes back as the
        current version when no newer one was loaded since.
        """) + "\n    Example: barrio restore neighborhood 7\n";

    public int Run(IReadOnlyList<string> args, CommandContext context) => Lifecycle.Run(args, context, "restore", async (store, kind, id, version, user, ct) =>
    {
        switch (kind)
        {
            case "neighborhood":
                var n = await store.AnyNeighborhoodAsync(id, ct);
                if (n is null) return null;
                if (n.DeletedAt is null) return (new LifecycleResult(LifecycleOutcome.NotDeleted, n.Version), n.Version);
                return (await store.RestoreNeighborhoodAsync(id, version ?? n.Version, ct), n.Version);
            case "plan":
                var p = await store.AnyPlanAsync(id, ct);
                if (p is null) return null;
                if (p.DeletedAt is null) return (new LifecycleResult(LifecycleOutcome.NotDeleted, LifecycleStore.PlanVersion), LifecycleStore.PlanVersion);
                return (await store.RestorePlanAsync(id, version ?? LifecycleStore.PlanVersion, ct), LifecycleStore.PlanVersion);
            default:
                var d = await store.AnyImportAsync(id, ct);
                if (d is null) return null;
                if (d.DeletedAt is null) return (new LifecycleResult(LifecycleOutcome.NotDeleted, d.Version), d.Version);
                return (await store.RestoreImportAsync(id, version ?? d.Version, ct), d.Version);
        }
    });
}

/// <summary><c>barrio imports list|diff</c>: the imports as dataset versions, and what changed between two.</summary>
public sealed class ImportsCommand : ICommand
{
    public string Name => "imports";

    public string Summary => "List the imports (dataset versions) and what changed from one version to the next";

    public string Help => $"""
        Usage: barrio imports list [--collection NAME] [--district UBIGEO] [--deleted] [--db CONNECTION]
               barrio imports diff ID [--db CONNECTION]

        list: one line per import, newest first: id, collection, district, version, features, source file, who,
              when, and "current" for the version in use (--deleted: the deleted ones).
        diff: the streets (or stations) added, removed, renamed and with another geometry from the version the
              import replaced, matched by OSM id (osm_id) when the features have one, else by geometry and name.
        {CliDatabase.Help}
        Example: barrio imports diff 14
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var deleted = args.Contains("--deleted");
        var p = CommandArgs.Parse(args.Where(a => a != "--deleted").ToList(), "--collection", "--district", "--db");
        if (p.Positionals.Count == 0) throw new UsageException("give a subcommand: list or diff");
        switch (p.Positionals[0])
        {
            case "list":
                if (p.Positionals.Count > 1) throw new UsageException($"unexpected argument '{p.Positionals[1]}'");
                return With(p, async store =>
                {
                    var list = await store.ImportsAsync(p.Option("--collection"), p.Option("--district"), deleted, CancellationToken.None);
                    var current = list.GroupBy(d => (d.Collection, d.DistrictUbigeo)).Select(g => g.MaxBy(d => d.Version)!.Id).ToHashSet();
                    foreach (var d in list)
                        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{d.Id,5}  {d.Collection,-13} {d.DistrictUbigeo ?? "-",-6}  v{d.Version,-3} {d.FeatureCount,7:N0} features  {d.Name}  {d.ImportedBy ?? "-"}  {d.LoadedAt:yyyy-MM-dd HH:mm}Z{(d.DeletedAt is { } at ? $"  deleted {at:yyyy-MM-dd HH:mm}Z by {d.DeletedBy}" : !deleted && current.Contains(d.Id) ? "  current" : "")}"));
                    context.Out.WriteLine($"{list.Count} import(s)");
                    return ExitCodes.Ok;
                });
            case "diff":
                if (p.Positionals.Count != 2 || !int.TryParse(p.Positionals[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    throw new UsageException("usage: barrio imports diff ID");
                return With(p, async store =>
                {
                    var diff = await store.DiffAsync(id, CancellationToken.None) ?? throw new CommandFailedException($"no import {id}");
                    context.Out.WriteLine($"import {diff.ImportId}: {diff.Collection} {diff.DistrictUbigeo ?? "(no district)"} v{diff.ToVersion}"
                        + (diff.FromVersion is { } fv ? $" against v{fv} (import {diff.FromImportId})" : " (first version)") + $", matched by {diff.MatchedBy}");
                    context.Out.WriteLine($"added {diff.Added.Count}, removed {diff.Removed.Count}, renamed {diff.Renamed.Count}, geometry changed {diff.GeometryChanged.Count}, unchanged {diff.Unchanged}");
                    foreach (var f in diff.Added) context.Out.WriteLine($"+ {Of(f.OsmId, f.Name)}");
                    foreach (var f in diff.Removed) context.Out.WriteLine($"- {Of(f.OsmId, f.Name)}");
                    foreach (var r in diff.Renamed) context.Out.WriteLine($"~ {Of(r.OsmId, r.From)} -> {r.To ?? "(no name)"}");
                    foreach (var f in diff.GeometryChanged) context.Out.WriteLine($"* {Of(f.OsmId, f.Name)} (geometry)");
                    return ExitCodes.Ok;
                });
            default:
                throw new UsageException($"unknown subcommand '{p.Positionals[0]}' (list or diff)");
        }
    }

    private static string Of(long? osm, string? name) =>
        (osm is { } o ? $"osm {o.ToString(CultureInfo.InvariantCulture)} " : "") + (name ?? "(no name)");

    // list and diff only read.
    private static int With(CommandArgs p, Func<LifecycleStore, Task<int>> run) =>
        Task.Run(() => CliDatabase.ReadAsync(p.Option("--db"), db => run(new LifecycleStore(db)))).GetAwaiter().GetResult();
}
