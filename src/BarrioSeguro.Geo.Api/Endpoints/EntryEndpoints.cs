using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Entries;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Entries;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Entries;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// What chiefs and planners enter by hand (issue 12, forms): contingents, stations, hot spots and incidents, each
/// created (201, Location, ETag), read (strong ETag, If-None-Match gives 304), replaced (PUT), changed in part (PATCH,
/// the members sent) and deleted, the last three with If-Match (missing: 428, stale: 412 with the current ETag and who
/// changed it). A member that cannot be kept is a 422 naming it (<c>parameter</c>) with the reason as a note in the
/// request's language. Incidents also come in bulk from a CSV file, all or nothing.
/// </summary>
public static class EntryEndpoints
{
    public sealed record ContingentView(int Id, int NeighborhoodId, string Name, int Officers, int Shifts, double Availability, string Mode,
        int CrewSize, int JointUnits, double OfficersPerShift, int Version, string? ChangedBy, DateTimeOffset? ChangedAt);

    public sealed record StationView(int Id, string? Name, string? Operator, long? OsmId, string? DistrictUbigeo, double Lon, double Lat,
        int Version, string? ChangedBy, DateTimeOffset? ChangedAt);

    public sealed record HotSpotView(int Id, string Name, string? Description, string? DistrictUbigeo, double Lon, double Lat,
        int Version, string? ChangedBy, DateTimeOffset? ChangedAt);

    /// <param name="OccurredAt">Lima time with its offset, "2017-03-04T21:30:00-05:00".</param>
    public sealed record IncidentView(int Id, string Category, string OccurredAt, double Lon, double Lat, bool IsSynthetic,
        int Version, string? ChangedBy, DateTimeOffset? ChangedAt);

    /// <summary>One bad cell of a CSV import: its line (1 is the header), its column as the file names it, the reason.</summary>
    public sealed record CsvError(int Line, string Column, string Code, IReadOnlyDictionary<string, object> Args, string Text);

    /// <param name="Imported">Incidents written (0 for a dry run).</param>
    /// <param name="Valid">Rows read without a problem.</param>
    /// <param name="Crs">The CRS the coordinates were read in.</param>
    public sealed record ImportView(int Imported, int Valid, string Crs, bool DryRun, IReadOnlyList<IncidentView> Preview);

    public static IEndpointRouteBuilder MapEntries(this IEndpointRouteBuilder app)
    {
        Map<Contingent, ContingentView>(app, "contingents", "Contingents", "a contingent", ContingentKind);
        Map<Station, StationView>(app, "stations", "Stations", "a station (comisaría, serenazgo base)", StationKind);
        Map<HotSpot, HotSpotView>(app, "hotspots", "Hot spots", "a hot spot", HotSpotKind);
        Map<Incident, IncidentView>(app, "incidents", "Incidents", "an incident", IncidentKind);
        app.MapGet("/api/hotspots", ListHotSpots).WithTags("Hot spots").Produces<List<HotSpotView>>()
            .WithSummary("Every hot spot (of the user's districts when limited to some).");
        app.MapPost("/api/incidents/import", Import).WithTags("Incidents")
            // No Accepts("text/csv"): routing would answer 415 before sign-in is checked; the handler refuses other types.
            .Produces<ImportView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Imports incidents from a CSV file (Content-Type: text/csv): lon/lat columns (or x/y with ?crs=EPSG:32717), a date (and time) in Lima time, a category. All or nothing: a 422 lists the line and column of the first bad cells (errors[]). ?dryRun=true checks without writing.");
        return app;
    }

    // ---- one kind of entry: how its body is read, checked, shown and where its district is -------------------------

    private sealed record Kind<T>(
        Func<T> New,
        Func<T, T> Copy,
        Action<JsonElement, T, bool> Apply,
        Action<T> Check,
        Func<T, EntryContext, CancellationToken, Task> Place,
        Func<T, object> View);

    /// <summary>What a kind needs from the request to place an entry: the store and the user's district limit.</summary>
    private sealed record EntryContext(EntryStore Store, ClaimsPrincipal User);

    private static readonly Kind<Contingent> ContingentKind = new(
        () => new Contingent { Name = "" },
        c => new Contingent
        {
            Id = c.Id, NeighborhoodId = c.NeighborhoodId, Name = c.Name, Officers = c.Officers, Shifts = c.Shifts, Availability = c.Availability,
            Mode = c.Mode, CrewSize = c.CrewSize, JointUnits = c.JointUnits, Version = c.Version, ChangedBy = c.ChangedBy, ChangedAt = c.ChangedAt,
        },
        (body, c, partial) =>
        {
            if (Int(body, "neighborhoodId", partial) is { } n) c.NeighborhoodId = n;
            if (Str(body, "name", partial) is { } name) c.Name = name.Trim();
            if (Int(body, "officers", partial) is { } o) c.Officers = o;
            if (Int(body, "shifts", partial) is { } s) c.Shifts = s;
            if (Dbl(body, "availability", true) is { } a) c.Availability = a;
            if (Str(body, "mode", true) is { } m) c.Mode = m.Trim().ToLowerInvariant();
            if (Int(body, "crewSize", true) is { } crew) c.CrewSize = crew;
            if (Int(body, "jointUnits", true) is { } j) c.JointUnits = j;
        },
        EntryRules.Check,
        async (c, x, ct) =>
        {
            var (exists, district) = await x.Store.NeighborhoodDistrictAsync(c.NeighborhoodId, ct);
            if (!exists) throw new RefusalException(Note.Of("entry.unknown_neighborhood", ("id", c.NeighborhoodId)), "neighborhoodId");
            if (x.User.DistrictsOf().Count > 0 && (district is null || !x.User.Covers(district)))
                throw new OutsideDistrictException(district is null
                    ? Note.Of("auth.neighborhood_no_district", ("id", c.NeighborhoodId), ("districts", x.User.DistrictsOf().ToArray()))
                    : Note.Of("auth.neighborhood_outside", ("id", c.NeighborhoodId), ("district", district), ("districts", x.User.DistrictsOf().ToArray())));
        },
        c => ViewOf(c));

    private static readonly Kind<Station> StationKind = new(
        () => new Station { Location = Point0() },
        s => new Station
        {
            Id = s.Id, OsmId = s.OsmId, Name = s.Name, Operator = s.Operator, DistrictUbigeo = s.DistrictUbigeo, Location = s.Location.Copy() as Point ?? s.Location,
            Version = s.Version, ChangedBy = s.ChangedBy, ChangedAt = s.ChangedAt,
        },
        (body, s, partial) =>
        {
            if (Str(body, "name", partial) is { } name) s.Name = name.Trim();
            if (body.TryGetProperty("operator", out _)) s.Operator = Str(body, "operator", true)?.Trim();
            s.Location = Location(body, s.Location, partial);
        },
        EntryRules.Check,
        async (s, x, ct) => s.DistrictUbigeo = await DistrictFor(s.Location, x, ct),
        s => ViewOf(s));

    private static readonly Kind<HotSpot> HotSpotKind = new(
        () => new HotSpot { Name = "", Location = Point0() },
        h => new HotSpot
        {
            Id = h.Id, Name = h.Name, Description = h.Description, DistrictUbigeo = h.DistrictUbigeo, Location = h.Location.Copy() as Point ?? h.Location,
            Version = h.Version, ChangedBy = h.ChangedBy, ChangedAt = h.ChangedAt,
        },
        (body, h, partial) =>
        {
            if (Str(body, "name", partial) is { } name) h.Name = name.Trim();
            if (body.TryGetProperty("description", out _)) h.Description = Str(body, "description", true);
            h.Location = Location(body, h.Location, partial);
        },
        EntryRules.Check,
        async (h, x, ct) => h.DistrictUbigeo = await DistrictFor(h.Location, x, ct),
        h => ViewOf(h));

    private static readonly Kind<Incident> IncidentKind = new(
        () => new Incident { Category = "", Location = Point0() },
        i => new Incident
        {
            Id = i.Id, Category = i.Category, OccurredAt = i.OccurredAt, Location = i.Location.Copy() as Point ?? i.Location, IsSynthetic = i.IsSynthetic,
            Version = i.Version, ChangedBy = i.ChangedBy, ChangedAt = i.ChangedAt,
        },
        (body, i, partial) =>
        {
            if (Str(body, "category", partial) is { } category) i.Category = category.Trim();
            if (Str(body, "occurredAt", partial) is { } when)
                i.OccurredAt = (IncidentCsv.ParseDateTime(when)
                    ?? throw new RefusalException(Note.Of("entry.bad_date", ("field", "occurredAt"), ("value", when)), "occurredAt")).ToUniversalTime();
            i.Location = Location(body, i.Location, partial);
        },
        i => EntryRules.Check(i, DateTimeOffset.UtcNow),
        async (i, x, ct) => { await DistrictFor(i.Location, x, ct); },
        i => ViewOf(i));

    // ---- the routes of a kind ---------------------------------------------------------------------------------------

    private static void Map<T, TView>(IEndpointRouteBuilder app, string path, string tag, string what, Kind<T> kind) where T : class, IVersioned where TView : notnull
    {
        var group = app.MapGroup($"/api/{path}").WithTags(tag);
        var body = $"JSON members as GET answers them ({typeof(TView).Name}); lon/lat in EPSG:4326 for points.";
        app.MapPost($"/api/{path}", (HttpRequest r, EditContext e, EntryStore s, IOptions<BarrioOptions> o, CancellationToken ct) => Create(path, kind, r, e, s, o, ct))
            .WithTags(tag).Accepts<TView>("application/json").Produces<TView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary($"Creates {what}: 201 with Location and ETag. {body}");
        group.MapGet("/{id:int}", (int id, HttpRequest r, EntryStore s, CancellationToken ct) => Get(id, kind, r, s, ct))
            .Produces<TView>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary($"Reads {what}; its strong ETag is its version (If-None-Match with it: 304).");
        foreach (var (method, partial) in new[] { ("PUT", false), ("PATCH", true) })
            group.MapMethods("/{id:int}", [method], (int id, HttpRequest r, EditContext e, EntryStore s, IOptions<BarrioOptions> o, CancellationToken ct) => Update(id, partial, kind, r, e, s, o, ct))
                .Accepts<TView>("application/json").Produces<TView>()
                .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
                .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
                .ProducesProblem(StatusCodes.Status428PreconditionRequired)
                .WithSummary(partial
                    ? $"Changes the members sent of {what}; If-Match names the version it started from."
                    : $"Replaces {what} (every required member); If-Match names the version it started from. {body}");
        group.MapDelete("/{id:int}", (int id, EditContext e, EntryStore s, CancellationToken ct) => Delete<T>(id, e, s, ct))
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .WithSummary($"Deletes {what}; If-Match names the current version.");
    }

    private static async Task<IResult> Create<T>(string path, Kind<T> kind, HttpRequest request, EditContext edit, EntryStore store,
        IOptions<BarrioOptions> options, CancellationToken ct) where T : class, IVersioned
    {
        var (body, error) = await ReadBodyAsync(request, options.Value.MaxUploadBytes, ct);
        if (error is not null) return error;
        var saved = await CreateCore(kind, body, edit, store, request.HttpContext.User, ct);
        return new EntryResult(kind.View(saved), saved.Version, StatusCodes.Status201Created, $"/api/{path}/{saved.Id}");
    }

    private static async Task<T> CreateCore<T>(Kind<T> kind, JsonElement body, EditContext edit, EntryStore store, ClaimsPrincipal user,
        CancellationToken ct) where T : class, IVersioned
    {
        var entry = kind.New();
        kind.Apply(body, entry, false);
        kind.Check(entry);
        await kind.Place(entry, new EntryContext(store, user), ct);
        return await store.CreateAsync(entry, edit.Author(), ct);
    }

    private static async Task<IResult> Get<T>(int id, Kind<T> kind, HttpRequest request, EntryStore store, CancellationToken ct) where T : class, IVersioned
    {
        var entry = await store.FindAsync<T>(id, ct);
        if (entry is null) return Problems.NotFound(Note.Of("api.no_entry", ("kind", typeof(T).Name.ToLowerInvariant()), ("id", id)));
        if (NoneMatch(request, entry.Version)) return new NotModified(entry.Version);
        return new EntryResult(kind.View(entry), entry.Version);
    }

    private static async Task<IResult> Update<T>(int id, bool partial, Kind<T> kind, HttpRequest request, EditContext edit, EntryStore store,
        IOptions<BarrioOptions> options, CancellationToken ct) where T : class, IVersioned
    {
        var current = await store.FindAsync<T>(id, ct);
        if (current is null) return Problems.NotFound(Note.Of("api.no_entry", ("kind", typeof(T).Name.ToLowerInvariant()), ("id", id)));
        if (Precondition(edit, current) is { } refused) return refused;
        var (body, error) = await ReadBodyAsync(request, options.Value.MaxUploadBytes, ct);
        if (error is not null) return error;
        var (saved, notSaved) = await UpdateCore(id, current, partial, kind, body, edit, store, request.HttpContext.User, ct);
        return saved is null ? notSaved! : new EntryResult(kind.View(saved), saved.Version);
    }

    /// <summary>Applies a checked change to <paramref name="current"/> (its precondition already held).</summary>
    private static async Task<(T? Saved, IResult? Refused)> UpdateCore<T>(int id, T current, bool partial, Kind<T> kind, JsonElement body,
        EditContext edit, EntryStore store, ClaimsPrincipal user, CancellationToken ct) where T : class, IVersioned
    {
        var changed = kind.Copy(current);
        kind.Apply(body, changed, partial);
        kind.Check(changed);
        await kind.Place(changed, new EntryContext(store, user), ct);
        var result = await store.UpdateAsync<T>(id, edit.IfMatch!.Value, stored => CopyInto(kind, changed, stored), edit.Author(), ct);
        return result.Outcome switch
        {
            EntryOutcome.Saved => (result.Entry!, null),
            EntryOutcome.Stale => (null, Stale(result.Entry!, edit.IfMatch.Value)),
            _ => (null, Problems.NotFound(Note.Of("api.no_entry", ("kind", typeof(T).Name.ToLowerInvariant()), ("id", id)))),
        };
    }

    // ---- the seam OGC API - Features Part 4 writes through (FeatureEditEndpoints): same checks, places, store ---------

    /// <summary>What a write through the seam did: the entry saved (or deleted), else the refusal to answer.</summary>
    internal sealed record EntryWrite(IVersioned? Entry, IResult? Refused);

    /// <summary>The entry of a kind ("stations", "incidents", "contingents"), or null.</summary>
    internal static async Task<IVersioned?> FindEntryAsync(string path, int id, EntryStore store, CancellationToken ct) => path switch
    {
        "contingents" => await store.FindAsync<Contingent>(id, ct),
        "stations" => await store.FindAsync<Station>(id, ct),
        "incidents" => await store.FindAsync<Incident>(id, ct),
        _ => throw new KeyNotFoundException(path),
    };

    /// <summary>Creates an entry from its members (as POST /api/{path} reads them).</summary>
    internal static async Task<IVersioned> CreateEntryAsync(string path, JsonElement body, EditContext edit, EntryStore store, ClaimsPrincipal user,
        CancellationToken ct) => path switch
    {
        "contingents" => await CreateCore(ContingentKind, body, edit, store, user, ct),
        "stations" => await CreateCore(StationKind, body, edit, store, user, ct),
        "incidents" => await CreateCore(IncidentKind, body, edit, store, user, ct),
        _ => throw new KeyNotFoundException(path),
    };

    /// <summary>Replaces an entry with these members: If-Match as PUT /api/{path}/{id} checks it (428, 412).</summary>
    internal static async Task<EntryWrite> ReplaceEntryAsync(string path, int id, JsonElement body, EditContext edit, EntryStore store,
        ClaimsPrincipal user, CancellationToken ct)
    {
        async Task<EntryWrite> Run<T>(Kind<T> kind) where T : class, IVersioned
        {
            var current = await store.FindAsync<T>(id, ct);
            if (current is null) return new(null, Problems.NotFound(Note.Of("api.no_entry", ("kind", typeof(T).Name.ToLowerInvariant()), ("id", id))));
            if (Precondition(edit, current) is { } refused) return new(null, refused);
            var (saved, notSaved) = await UpdateCore(id, current, false, kind, body, edit, store, user, ct);
            return new(saved, notSaved);
        }
        return path switch
        {
            "contingents" => await Run(ContingentKind),
            "stations" => await Run(StationKind),
            "incidents" => await Run(IncidentKind),
            _ => throw new KeyNotFoundException(path),
        };
    }

    /// <summary>The If-Match check of an entry's change (428 missing, 412 stale with the current ETag); null when it holds.</summary>
    internal static IResult? PreconditionOf(EditContext edit, IVersioned current) => Precondition(edit, current);

    /// <summary>Deletes an entry as DELETE /api/{path}/{id} does (If-Match checked).</summary>
    internal static async Task<IResult> DeleteEntryAsync(string path, int id, EditContext edit, EntryStore store, CancellationToken ct) => path switch
    {
        "contingents" => await Delete<Contingent>(id, edit, store, ct),
        "stations" => await Delete<Station>(id, edit, store, ct),
        "incidents" => await Delete<Incident>(id, edit, store, ct),
        _ => throw new KeyNotFoundException(path),
    };

    private static async Task<IResult> Delete<T>(int id, EditContext edit, EntryStore store, CancellationToken ct) where T : class, IVersioned
    {
        var current = await store.FindAsync<T>(id, ct);
        if (current is null) return Problems.NotFound(Note.Of("api.no_entry", ("kind", typeof(T).Name.ToLowerInvariant()), ("id", id)));
        if (Precondition(edit, current) is { } refused) return refused;
        var result = await store.DeleteAsync<T>(id, edit.IfMatch!.Value, ct);
        return result.Outcome switch
        {
            EntryOutcome.Saved => TypedResults.NoContent(),
            EntryOutcome.Stale => Stale(result.Entry!, edit.IfMatch.Value),
            _ => Problems.NotFound(Note.Of("api.no_entry", ("kind", typeof(T).Name.ToLowerInvariant()), ("id", id))),
        };
    }

    /// <summary>428 without If-Match, 412 when it names no version or another than the stored one; null when it holds.</summary>
    private static IResult? Precondition(EditContext edit, IVersioned current)
    {
        if (!edit.IfMatchGiven)
            return Problems.VersionRequired(Note.Of("api.if_match_send", ("version", current.Version)));
        if (edit.UnusableIfMatch() is { } unusable) return unusable;
        return edit.IfMatch != current.Version ? Stale(current, edit.IfMatch!.Value) : null;
    }

    /// <summary>412 with the current ETag (header and member), its version and who changed it last.</summary>
    private static IResult Stale(IVersioned current, int asked) => new WithETag(new PreconditionFailedProblem(
        current.ChangedBy is { } who
            ? Note.Of("api.if_match_stale_by", ("asked", asked), ("version", current.Version), ("user", who))
            : Note.Of("api.if_match_stale", ("asked", asked), ("version", current.Version)),
        new Dictionary<string, object?>
        {
            ["currentVersion"] = current.Version, ["currentETag"] = $"\"{current.Version}\"",
            ["changedBy"] = current.ChangedBy, ["changedAt"] = current.ChangedAt,
        }), current.Version);

    /// <summary>Copies the checked change onto the tracked entry (everything but its id and version).</summary>
    private static void CopyInto<T>(Kind<T> kind, T from, T to) where T : class, IVersioned
    {
        switch ((object)from, (object)to)
        {
            case (Contingent a, Contingent b):
                (b.NeighborhoodId, b.Name, b.Officers, b.Shifts, b.Availability, b.Mode, b.CrewSize, b.JointUnits) =
                    (a.NeighborhoodId, a.Name, a.Officers, a.Shifts, a.Availability, a.Mode, a.CrewSize, a.JointUnits);
                break;
            case (Station a, Station b):
                (b.Name, b.Operator, b.DistrictUbigeo, b.Location) = (a.Name, a.Operator, a.DistrictUbigeo, a.Location);
                break;
            case (HotSpot a, HotSpot b):
                (b.Name, b.Description, b.DistrictUbigeo, b.Location) = (a.Name, a.Description, a.DistrictUbigeo, a.Location);
                break;
            case (Incident a, Incident b):
                (b.Category, b.OccurredAt, b.Location, b.IsSynthetic) = (a.Category, a.OccurredAt, a.Location, a.IsSynthetic);
                break;
            default:
                throw new InvalidOperationException($"No copy for {typeof(T).Name} ({kind}).");
        }
    }

    // ---- hot spots and the CSV import -------------------------------------------------------------------------------

    public static async Task<IResult> ListHotSpots(EntryStore store, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok((await store.HotSpotsAsync(user.DistrictsOf(), ct)).Select(ViewOf).ToList());

    public static async Task<IResult> Import(string? crs, bool? dryRun, HttpRequest request, EditContext edit, EntryStore store,
        IOptions<BarrioOptions> options, CancellationToken ct)
    {
        if (!MediaType(request.ContentType, "text/csv", "application/csv"))
            return RequestProblem.UnsupportedMediaType(string.IsNullOrEmpty(request.ContentType)
                ? Note.Of("api.send_csv_none")
                : Note.Of("api.send_csv", ("type", request.ContentType)));
        var epsg = string.IsNullOrWhiteSpace(crs) ? (int?)null : Crs.Parse(crs); // an unknown CRS is a 400 (ApiErrors)
        var (bytes, tooLarge) = await ReadAllAsync(request, options.Value.MaxUploadBytes, ct);
        if (tooLarge is not null) return tooLarge;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Spreadsheets on Spanish Windows save CSV as windows-1252 when not told otherwise.
            text = Encoding.Latin1.GetString(bytes);
        }

        var read = IncidentCsv.Read(text, epsg, DateTimeOffset.UtcNow);
        if (read.Problems.Count > 0)
        {
            var first = read.Problems[0];
            var lang = NoteLanguage.Current;
            var errors = read.Problems.Select(p => new CsvError(p.Line, p.Column, p.Reason.Code, p.Reason.Args, p.Reason.Text(lang))).ToList();
            var summary = Note.Of("csv.refused", ("count", read.Problems.Count), ("line", first.Line), ("column", first.Column));
            return RequestProblem.Refused("Invalid CSV", $"{summary}: {first.Reason}", new Dictionary<string, object?>
            {
                ["code"] = summary.Code, ["args"] = summary.Args, ["parameter"] = "file", ["errors"] = errors,
                ["line"] = first.Line, ["column"] = first.Column,
            });
        }

        var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(Crs.Wgs84);
        var incidents = read.Rows.Select(r => new Incident
        {
            Category = r.Category, OccurredAt = r.OccurredAt.ToUniversalTime(), Location = factory.CreatePoint(new Coordinate(r.Lon, r.Lat)), IsSynthetic = false,
        }).ToList();
        if (request.HttpContext.User.DistrictsOf() is { Count: > 0 } districts)
        {
            var boundaries = await store.DistrictBoundariesAsync(districts, ct);
            for (var i = 0; i < incidents.Count; i++)
                if (!boundaries.Any(b => b.Intersects(incidents[i].Location)))
                    throw new OutsideDistrictException(Note.Of("auth.csv_point_outside", ("line", read.Rows[i].Line),
                        ("lon", read.Rows[i].Lon), ("lat", read.Rows[i].Lat), ("districts", districts.ToArray())));
        }
        var dry = dryRun == true;
        var imported = dry ? 0 : await store.AddIncidentsAsync(incidents, edit.Author(), ct);
        return TypedResults.Ok(new ImportView(imported, read.Rows.Count, Crs.NameOf(epsg ?? Crs.Wgs84), dry,
            incidents.Take(10).Select(ViewOf).ToList()));
    }

    // ---- views ------------------------------------------------------------------------------------------------------

    public static ContingentView ViewOf(Contingent c) => new(c.Id, c.NeighborhoodId, c.Name, c.Officers, c.Shifts, c.Availability, c.Mode,
        c.CrewSize, c.JointUnits, Math.Round(c.OfficersPerShift, 2), c.Version, c.ChangedBy, c.ChangedAt);

    public static StationView ViewOf(Station s) => new(s.Id, s.Name, s.Operator, s.OsmId, s.DistrictUbigeo, s.Location.X, s.Location.Y,
        s.Version, s.ChangedBy, s.ChangedAt);

    public static HotSpotView ViewOf(HotSpot h) => new(h.Id, h.Name, h.Description, h.DistrictUbigeo, h.Location.X, h.Location.Y,
        h.Version, h.ChangedBy, h.ChangedAt);

    public static IncidentView ViewOf(Incident i) => new(i.Id, i.Category, LimaTime.Stamp(i.OccurredAt), i.Location.X, i.Location.Y, i.IsSynthetic,
        i.Version, i.ChangedBy, i.ChangedAt);

    // ---- reading members --------------------------------------------------------------------------------------------

    private static Point Point0() => NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(Crs.Wgs84).CreatePoint(new Coordinate(double.NaN, double.NaN));

    private static JsonElement? Member(JsonElement body, string name, bool optional)
    {
        if (body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null) return v;
        if (!optional) throw new RefusalException(Note.Of("entry.required", ("field", name)), name);
        return null;
    }

    private static string? Str(JsonElement body, string name, bool optional) => Member(body, name, optional) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        _ => throw new RefusalException(Note.Of("entry.wrong_type", ("field", name), ("expected", "string")), name),
    };

    private static int? Int(JsonElement body, string name, bool optional) => Member(body, name, optional) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var i) => i,
        _ => throw new RefusalException(Note.Of("entry.wrong_type", ("field", name), ("expected", "integer")), name),
    };

    private static double? Dbl(JsonElement body, string name, bool optional) => Member(body, name, optional) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } n => n.GetDouble(),
        _ => throw new RefusalException(Note.Of("entry.wrong_type", ("field", name), ("expected", "number")), name),
    };

    /// <summary>The lon/lat members as a point; a PATCH may send neither (the point stays) but not one alone.</summary>
    private static Point Location(JsonElement body, Point current, bool partial)
    {
        var sendsAny = body.TryGetProperty("lon", out _) || body.TryGetProperty("lat", out _);
        if (partial && !sendsAny) return current;
        var lon = Dbl(body, "lon", false)!.Value;
        var lat = Dbl(body, "lat", false)!.Value;
        EntryRules.Place(lon, lat);
        return current.Factory.CreatePoint(new Coordinate(lon, lat));
    }

    /// <summary>
    /// The district a point is kept under: for a user limited to districts, one of theirs that holds it (else 403);
    /// otherwise the first that holds it (null outside every stored district).
    /// </summary>
    private static async Task<string?> DistrictFor(Point point, EntryContext x, CancellationToken ct)
    {
        var at = await x.Store.DistrictsAtAsync(point, ct);
        if (x.User.DistrictsOf() is not { Count: > 0 } mine) return at.FirstOrDefault();
        return at.FirstOrDefault(x.User.Covers)
            ?? throw new OutsideDistrictException(Note.Of("auth.point_outside", ("lon", point.X), ("lat", point.Y), ("districts", mine.ToArray())));
    }

    // ---- HTTP details -----------------------------------------------------------------------------------------------

    private static bool MediaType(string? contentType, params string[] wanted) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && wanted.Any(w => type.MediaType.Equals(w, StringComparison.OrdinalIgnoreCase));

    private static async Task<(JsonElement Body, IResult? Error)> ReadBodyAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (!GeoJsonBody.IsJson(request.ContentType))
            return (default, RequestProblem.UnsupportedMediaType(string.IsNullOrEmpty(request.ContentType)
                ? Note.Of("api.send_json_none")
                : Note.Of("api.send_json", ("type", request.ContentType))));
        var (bytes, tooLarge) = await ReadAllAsync(request, maxBytes, ct);
        if (tooLarge is not null) return (default, tooLarge);
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = InputLimits.JsonDepth });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (default, RequestProblem.Malformed("Invalid entry", Note.Of("api.body_not_object")));
            return (doc.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, RequestProblem.Malformed("Invalid entry",
                Note.Of("api.body_not_json", ("line", (e.LineNumber ?? 0) + 1), ("byte", (e.BytePositionInLine ?? 0) + 1))));
        }
    }

    private static Task<(byte[] Bytes, IResult? TooLarge)> ReadAllAsync(HttpRequest request, long maxBytes, CancellationToken ct) =>
        RequestBodies.ReadAsync(request, maxBytes, Note.Of("api.body_over_bytes", ("bytes", maxBytes)), ct);

    private static bool NoneMatch(HttpRequest request, int version) => RequestBodies.NoneMatch(request, version);

    /// <summary>200 or 201 with the entry as JSON, its version as a strong ETag, and Location when made.</summary>
    private sealed class EntryResult(object view, int version, int status = StatusCodes.Status200OK, string? location = null) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = $"\"{version}\"";
            if (location is not null) http.Response.Headers.Location = location;
            return Results.Json(view, statusCode: status).ExecuteAsync(http);
        }
    }

    private sealed class NotModified(int version) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = $"\"{version}\"";
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
    }

    private sealed class WithETag(IResult inner, int version) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = $"\"{version}\"";
            return inner.ExecuteAsync(http);
        }
    }
}
