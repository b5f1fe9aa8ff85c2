using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data.Import;
using BarrioSeguro.Geo.IO.Osm;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// Issue 13.1: an OpenStreetMap PBF extract uploaded for a district (or a box), loaded as <c>barrio import-osm</c>
/// does. The upload answers when the import is done; meanwhile <c>GET /api/imports/osm/{jobId}</c> says how far it got,
/// for the job id the caller chose and sent with the file.
/// </summary>
public static partial class OsmImportEndpoints
{
    /// <param name="Area">The ubigeo or the box the extract was clipped to.</param>
    /// <param name="CoveredPct">Percent of the area's surface inside the box of the extract's data.</param>
    /// <param name="StreetKm">Length of the streets written, km.</param>
    /// <param name="Summary">What was loaded, as a note (code, args, text).</param>
    /// <param name="Warnings">Notes the user must read (a partly covered area): code, args and text.</param>
    /// <param name="Notes">What the collections did not take as given (attributes no column keeps), in English.</param>
    public sealed record OsmImportView(
        string Area, double CoveredPct, int Streets, double StreetKm, int Stations, bool AlreadyLoaded, Note Summary,
        IReadOnlyList<Note> Warnings, IReadOnlyList<Note> Notes)
    {
        /// <summary>Buildings written; null when the form did not ask for them (buildings=true).</summary>
        public int? Buildings { get; init; }
    }

    /// <param name="Stage">check | read | write | done | failed.</param>
    /// <param name="Percent">0-100 over the whole import.</param>
    public sealed record OsmImportProgressView(string JobId, string Stage, double Percent);

    public static IServiceCollection AddOsmImports(this IServiceCollection services)
    {
        services.AddSingleton<OsmImportProgress>();
        services.AddScoped<OsmImporter>();
        return services;
    }

    public static IEndpointRouteBuilder MapOsmImports(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/imports/osm", Import).WithTags("Imports").DisableAntiforgery()
            .Produces<OsmImportView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Imports an OpenStreetMap PBF extract (multipart/form-data: file, and district (ubigeo) or bbox (minlon,minlat,maxlon,maxlat); optional buildings=true to load building footprints too, and jobId to follow its progress): every highway way into streets, amenity=police into stations, buildings into buildings, clipped to the area, all or nothing.");
        app.MapGet("/api/imports/osm/{jobId}", Progress).WithTags("Imports")
            .Produces<OsmImportProgressView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("How far the upload with that job id got: stage (check, read, write, done, failed) and percent.");
        return app;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex JobIdPattern();

    public static async Task<IResult> Import(HttpRequest request, OsmImporter importer, OsmImportProgress jobs,
        IOptions<BarrioOptions> options, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            return RequestProblem.UnsupportedMediaType(string.IsNullOrEmpty(request.ContentType)
                ? Note.Of("osm.send_form_none") : Note.Of("osm.send_form", ("type", request.ContentType)));
        var max = options.Value.MaxOsmUploadBytes;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = max;
        if (request.ContentLength > max) return TooLarge(max);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = max }, ct);
        }
        catch (InvalidDataException)
        {
            return TooLarge(max);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(max);
        }
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
            return Problems.BadRequest("No OSM file", Note.Of("osm.no_file"));
        var district = form["district"].ToString().Trim();
        var bbox = form["bbox"].ToString().Trim();
        if ((district.Length > 0) == (bbox.Length > 0))
            return Problems.BadRequest("No area", Note.Of("osm.area_required"));
        var buildingsField = form["buildings"].ToString().Trim().ToLowerInvariant();
        if (buildingsField is not ("" or "true" or "false" or "on" or "1" or "0"))
            return Problems.BadRequest("Bad buildings field", Note.Of("osm.bad_buildings", ("value", buildingsField)));
        var buildings = buildingsField is "true" or "on" or "1";
        var jobId = form["jobId"].ToString();
        if (jobId.Length > 0 && !JobIdPattern().IsMatch(jobId))
            return Problems.BadRequest("Bad job id", Note.Of("osm.bad_job_id", ("job", jobId)));

        // A user limited to districts imports only into them.
        var mine = request.HttpContext.User.DistrictsOf();
        if (mine.Count > 0 && (district.Length == 0 || !mine.Contains(district)))
            throw new OutsideDistrictException(Note.Of("osm.outside_districts",
                ("area", district.Length > 0 ? district : "bbox " + bbox), ("districts", mine.ToArray())));

        var job = jobs.Start(jobId.Length > 0 ? jobId : null);
        var path = Path.Combine(Path.GetTempPath(), $"barrio-upload-{Guid.NewGuid():N}.osm.pbf");
        try
        {
            var area = bbox.Length > 0 ? OsmArea.ParseBox(bbox) : await importer.DistrictAsync(district, ct);
            await using (var target = File.Create(path))
                await file.CopyToAsync(target, ct);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(File.OpenRead(path), ct));
            job.Report("read", 5);
            OsmExtract extract;
            try
            {
                extract = await Task.Run(() => OsmPbf.Read(path, new OsmReadOptions(Buildings: buildings, Timeout: options.Value.OsmReadTimeout),
                    new Scaled(job, "read", 5, 50), ct), ct);
            }
            catch (OsmReaderUnavailableException e)
            {
                job.Report("failed", 100);
                return new ServiceUnavailableProblem("OSM reader unavailable", e.Reason);
            }
            job.Report("write", 50);
            var result = await importer.ImportAsync(new OsmFeatures(extract.Streets, extract.Stations, extract.DataBounds,
                    buildings ? extract.Buildings : null), area,
                Path.GetFileName(file.FileName), sha, new Scaled(job, "write", 50, 100), ct);
            job.Report("done", 100);
            var summary = result.AlreadyLoaded
                ? Note.Of("osm.already_loaded", ("area", area.Label))
                : Note.Of("osm.loaded", ("streets", result.Streets), ("km", result.StreetKm), ("stations", result.Stations), ("area", area.Label));
            return TypedResults.Ok(new OsmImportView(result.Area, result.CoveredPct, result.Streets, result.StreetKm, result.Stations,
                result.AlreadyLoaded, summary, result.Warnings, result.ImportNotes) { Buildings = result.Buildings });
        }
        catch (ImportException e)
        {
            job.Report("failed", 100);
            return Problems.Unprocessable("Not imported", e.Reason);
        }
        catch
        {
            job.Report("failed", 100);
            throw; // a refusal becomes a 422 in ApiErrors, with its note
        }
        finally
        {
            try { File.Delete(path); } catch (IOException) { }
        }
    }

    public static IResult Progress(string jobId, OsmImportProgress jobs) =>
        jobs.Find(jobId) is { } job
            ? TypedResults.Ok(new OsmImportProgressView(job.Id, job.Stage, Math.Round(job.Percent, 1)))
            : Problems.NotFound(Note.Of("osm.no_job", ("job", jobId)));

    private static RequestProblem TooLarge(long max) =>
        RequestProblem.TooLarge(Note.Of("osm.too_large", ("bytes", max)));

    private sealed class Scaled(OsmImportProgress.Job job, string stage, double from, double to) : IProgress<double>
    {
        public void Report(double value) => job.Report(stage, from + (to - from) * Math.Clamp(value, 0, 1));
    }
}

/// <summary>The progress of the OSM uploads running or finished in the last minutes, by the job id their caller chose.</summary>
public sealed class OsmImportProgress
{
    private static readonly TimeSpan Kept = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);

    public sealed class Job(string id)
    {
        public string Id { get; } = id;
        public string Stage { get; private set; } = "check";
        public double Percent { get; private set; }
        public DateTimeOffset Touched { get; private set; } = DateTimeOffset.UtcNow;

        public void Report(string stage, double percent)
        {
            Stage = stage;
            Percent = Math.Max(stage == "failed" ? 100 : Percent, percent);
            Touched = DateTimeOffset.UtcNow;
        }
    }

    public Job Start(string? id)
    {
        foreach (var old in _jobs.Values.Where(j => DateTimeOffset.UtcNow - j.Touched > Kept)) _jobs.TryRemove(old.Id, out _);
        var job = new Job(id ?? Guid.NewGuid().ToString("N"));
        _jobs[job.Id] = job;
        return job;
    }

    public Job? Find(string id) => _jobs.GetValueOrDefault(id);
}
