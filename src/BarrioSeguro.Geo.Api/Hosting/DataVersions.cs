namespace BarrioSeguro.Geo.Api.Hosting;

/// <summary>
/// The data versions of tables (<c>tile_versions</c>, bumped by PostgreSQL on every statement that writes to a table,
/// whoever writes), kept while PostgreSQL announces their changes (<c>barrio_data_version</c>, raised by triggers on
/// <c>tile_versions</c>), so a kept page is checked without a query. A write made elsewhere is seen as soon as its
/// notice arrives (a moment after its commit); a write made through this service is seen by the next request
/// (<see cref="DataVersionsSetup.UseDataVersions"/>).
/// </summary>
public sealed class DataVersions() : KeptWhileAnnounced<string, long?>(MaxKept)
{
    /// <summary>More tables than this and the kept versions are dropped.</summary>
    public const int MaxKept = 1_000;

    public const string NoticeChannel = "barrio_data_version";

    public override string Channel => NoticeChannel;

    public override IReadOnlyList<string> Triggers { get; } = ["tile_versions_notice", "tile_versions_truncate_notice"];

    /// <summary>A table's name, or <c>*</c> (a truncate): any version may have changed.</summary>
    public override void Heard(string payload)
    {
        if (payload == "*") ForgetAll();
        else Forget(payload);
    }

    /// <summary>
    /// The version of <paramref name="table"/>: the kept one, else <paramref name="read"/> (kept for the next requests).
    /// The reader takes its <paramref name="state"/> so a kept version costs no closure.
    /// </summary>
    public ValueTask<long?> GetAsync<TState>(string table, TState state, Func<TState, CancellationToken, Task<long?>> read,
        CancellationToken ct) =>
        TryGet(table, out var kept) ? ValueTask.FromResult(kept) : ReadAsync(table, state, read, ct);

    private async ValueTask<long?> ReadAsync<TState>(string table, TState state, Func<TState, CancellationToken, Task<long?>> read,
        CancellationToken ct)
    {
        var generation = Generation;
        var version = await read(state, ct);
        Keep(table, version, generation);
        return version;
    }
}

public static class DataVersionsSetup
{
    /// <summary>
    /// Every request that may write (not GET, HEAD or OPTIONS) forgets the kept versions before its answer starts, so
    /// its client's next request reads them again: a write through the service is never shown stale, even before its
    /// notice arrives.
    /// </summary>
    public static IApplicationBuilder UseDataVersions(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
        {
            await next(context);
            return;
        }
        var versions = context.RequestServices.GetRequiredService<DataVersions>();
        context.Response.OnStarting(() =>
        {
            versions.ForgetAll();
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        finally
        {
            versions.ForgetAll();
        }
    });
}
