using BarrioSeguro.Geo.Api;
using BarrioSeguro.Geo.Api.Endpoints;
using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Blocks;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Neighborhoods;
using BarrioSeguro.Geo.Data.Sectors;

var builder = WebApplication.CreateBuilder(args);
if (Environment.GetEnvironmentVariable("BARRIO_DB") is { Length: > 0 } db)
    builder.Configuration[$"{BarrioOptions.Section}:{nameof(BarrioOptions.ConnectionString)}"] = db;
if (Environment.GetEnvironmentVariable("BARRIO_URLS") is { Length: > 0 } urls)
    builder.WebHost.UseUrls(urls);

builder.Services.AddOptions<BarrioOptions>().Bind(builder.Configuration.GetSection(BarrioOptions.Section))
    .ValidateDataAnnotations()
    .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || !string.IsNullOrWhiteSpace(o.LocalDatabaseDirectory),
        "No database: set Barrio:ConnectionString (or BARRIO_DB) to a PostGIS connection string, or Barrio:LocalDatabaseDirectory for a private server.")
    .ValidateOnStart();
builder.Services.AddSingleton<DatabaseConnection>();
builder.Services.AddDbContext<BarrioDbContext>((sp, o) => BarrioDatabase.Configure(o, sp.GetRequiredService<DatabaseConnection>().Value));
builder.Services.AddScoped<FeatureCatalog>();
builder.Services.AddScoped<NeighborhoodStore>();
builder.Services.AddScoped<SurroundingsQuery>();
builder.Services.AddScoped<BlockStore>();
builder.Services.AddScoped<PlanStore>();
builder.Services.AddScoped<CoverageStore>();
builder.Services.AddScoped<RouteStore>();
builder.Services.AddScoped<SampleData>();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();

var app = builder.Build();
app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Urls.Count > 0 ? string.Join(", ", app.Urls) : "(no address)";
    Console.WriteLine($"BarrioSeguro.Geo is up: {addresses}  (viewer at /, API at /api, OpenAPI at /openapi/v1.json)");
});

app.UseExceptionHandler(new ExceptionHandlerOptions
{
    // A request body over Kestrel's limit arrives as BadHttpRequestException: keep its status (413) in the ProblemDetails.
    StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapOpenApi();
app.MapCollections();
app.MapNeighborhoods();
app.MapNeighborhoodQuality();
app.MapBlocks();
app.MapPlans();
app.MapNetwork();
app.MapFieldKit();
app.MapContingents();

await app.PrepareDatabaseAsync();
app.Run();

/// <summary>The entry point, visible to the integration tests.</summary>
public partial class Program;
