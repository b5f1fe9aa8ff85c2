using BarrioSeguro.Geo.Api;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Endpoints;
using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Data;

var builder = WebApplication.CreateBuilder(args);
if (Environment.GetEnvironmentVariable("BARRIO_DB") is { Length: > 0 } db)
    builder.Configuration[$"{BarrioOptions.Section}:{nameof(BarrioOptions.ConnectionString)}"] = db;
if (Environment.GetEnvironmentVariable("BARRIO_PUBLIC_URL") is { Length: > 0 } publicUrl)
    builder.Configuration[$"{BarrioOptions.Section}:{nameof(BarrioOptions.PublicBaseUrl)}"] = publicUrl;
if (Environment.GetEnvironmentVariable("BARRIO_URLS") is { Length: > 0 } urls)
    builder.WebHost.UseUrls(urls);

builder.Services.AddOptions<BarrioOptions>().Bind(builder.Configuration.GetSection(BarrioOptions.Section))
    .ValidateDataAnnotations()
    .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || !string.IsNullOrWhiteSpace(o.LocalDatabaseDirectory),
        "No database: set Barrio:ConnectionString (or BARRIO_DB) to a PostGIS connection string, or Barrio:LocalDatabaseDirectory for a private server.")
    .Validate(o => string.IsNullOrWhiteSpace(o.PublicBaseUrl) || BarrioSeguro.Geo.Printing.PublicBaseUrl.Parse(o.PublicBaseUrl, out _) is not null,
        "Barrio:PublicBaseUrl (or BARRIO_PUBLIC_URL) must be the absolute http(s) address officers reach the service at, not a loopback one.")
    .ValidateOnStart();
builder.Services.AddDatabaseConnection();
builder.Services.AddBarrioData(sp => sp.GetRequiredService<DatabaseConnection>().Value);
builder.Services.AddScoped<SampleData>();
builder.Services.AddApiErrors();
builder.Services.AddOsmImports(); // issue 13.1: OSM PBF uploads
builder.Services.AddAuditTrail(); // every write under /api leaves a row in the audit trail, refused or not
builder.Services.AddBarrioOpenApi();
builder.Services.AddCollections(); // issue 15.5: kept pages of items
builder.Services.AddTiles(); // issue 14.6: vector tiles
// --- sign-in and access (issue 9, auth) ---
builder.Services.AddBarrioAuth(builder.Configuration);
builder.Services.AddBarrioLimits(builder.Configuration); // rate limits per user on computations, per address on sign-in
// --- end sign-in and access ---

var app = builder.Build();
app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Urls.Count > 0 ? string.Join(", ", app.Urls) : "(no address)";
    Console.WriteLine($"BarrioSeguro.Geo is up: {addresses}  (viewer at /, API at /api, OpenAPI at /openapi/v1.json)");
    // The whole start, the runtime's and the host's included (the database's share is in the "start-up:" line).
    app.Logger.LogInformation("listening {Elapsed:N0} ms after the process started",
        (DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds);
});

app.UseHeadAsGet(); // issue 14, openapi: HEAD wherever GET is (before routing, so it finds the GET routes)
app.UseRouting();
app.UseSecurityHeaders(); // hardening: CSP, nosniff, no framing on every answer
app.UseApiErrors();
app.UseNoteLanguage(); // notes said in ?lang= or Accept-Language, Spanish by default
app.UseDataVersions(); // issue 15.5: a write through the service drops the kept data versions before it answers
app.UseDefaultFiles();
app.UseStaticFiles();
// --- sign-in and access (issue 9, auth): after the public viewer files, before every endpoint ---
app.UseBarrioAuth();
app.UseBarrioLimits();
app.MapAuth();
// --- end sign-in and access ---

app.MapOpenApi();
app.MapApiDocs(); // issue 14, openapi: the interactive documentation at /api/docs (Scalar, served from here)
app.MapCollections();
app.MapFeatureEdits(); // issue 14.4: OGC API - Features Part 4 (POST, PUT, PATCH, DELETE on collection items)
app.MapTiles(); // issue 14.6: /api/collections/{name}/tiles (OGC API - Tiles)
app.MapDistricts(); // issue 13.2: districts, provinces, departments of Peru
app.MapNeighborhoods();
app.MapNeighborhoodQuality();
app.MapBlocks();
app.MapPlans();
app.MapPlanEdits();
app.MapNetwork();
app.MapExports();
app.MapFieldKit();
app.MapContingents();
app.MapLifecycle(); // issue 13.5: delete, restore, dataset versions
app.MapEntries(); // issue 12, forms: contingents, stations, hot spots, incidents (create, read, update, delete, CSV)
app.MapOverview(); // issue 13.3: the national overview
app.MapOsmImports(); // issue 13.1: POST /api/imports/osm
app.MapAudit();
app.MapNotes();
app.MapUsers();

var database = await app.PrepareDatabaseAsync();
if (!database.HasUsers) await app.CreateFirstAdminAsync(); // issue 9, auth: ./barrio up on a fresh machine
app.WarmUpAfterStart(); // EF Core's model, built once the service answers (issue 15.3)
app.Run();

/// <summary>The entry point, visible to the integration tests.</summary>
public partial class Program;
