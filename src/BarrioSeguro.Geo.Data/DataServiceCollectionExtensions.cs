using BarrioSeguro.Geo.Data.Audit;
using BarrioSeguro.Geo.Data.Blocks;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Neighborhoods;
using BarrioSeguro.Geo.Data.Sectors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BarrioSeguro.Geo.Data;

/// <summary>Switches Data on in a host: the DbContext and every store, scoped to a request.</summary>
public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BarrioDbContext"/> on PostGIS and the stores the endpoints use.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="connectionString">
    /// The Npgsql connection string, asked for when a DbContext is first made (a private server may start after the
    /// services are built).
    /// </param>
    public static IServiceCollection AddBarrioData(this IServiceCollection services, Func<IServiceProvider, string> connectionString)
    {
        services.AddDbContext<BarrioDbContext>((sp, o) => BarrioDatabase.Configure(o, connectionString(sp)));
        services.AddScoped<FeatureCatalog>();
        services.AddScoped<FeatureRows>(); // exports: collections streamed row by row
        services.AddScoped<MapLayers>();
        services.AddScoped<AdminAreas>(); // districts, provinces, departments: search and detail
        services.AddScoped<NeighborhoodStore>();
        services.AddScoped<SurroundingsQuery>();
        services.AddScoped<BlockStore>();
        services.AddSingleton<BarrioSeguro.Geo.Planning.Network.NetworkCache>(); // street graphs per streets' data version (coverage, routes)
        services.AddScoped<PlanStore>();
        services.AddScoped<CoverageStore>();
        services.AddScoped<RouteStore>();
        services.AddScoped<FieldKitSource>();
        services.AddScoped<AuditStore>();
        services.AddScoped<Accounts.AccountStore>();
        services.AddScoped<Lifecycle.LifecycleStore>(); // lifecycle: delete, restore, dataset versions
        services.AddScoped<Entries.EntryStore>(); // forms: contingents, stations, hot spots, incidents
        services.AddScoped<Overview.OverviewStore>(); // issue 13.3: the national overview
        return services;
    }
}
