using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Neighborhoods;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// Validation a planner can act on (problems as geometry), repair that says what it changed, and the figures of a
/// boundary. Validation never refuses a geometry: it reports on it.
/// </summary>
public static class NeighborhoodQualityEndpoints
{
    public static IEndpointRouteBuilder MapNeighborhoodQuality(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/neighborhoods").WithTags("Neighborhoods");
        group.MapPost("/validate", ValidateDraft)
            .Accepts<object>("application/geo+json", "application/json")
            .WithSummary("Validates a drawn boundary (GeoJSON Feature) against its district and the other neighbourhoods: self-intersections, overlaps, parts outside the district, slivers, holes, several parts. Problems come back as GeoJSON features with their place. A property 'id' names the neighbourhood being reshaped, whose stored boundary is then not counted as an overlap.");
        group.MapGet("/{id:int}/validation", ValidateStored).WithSummary("Validates a stored neighbourhood.");
        group.MapPost("/{id:int}/repair", Repair)
            .WithSummary("Repairs a stored boundary (make valid, drop slivers, fill small holes, clip to the district; removeOverlaps=true also cuts the other neighbourhoods out) and says what changed. apply=true saves it as a new version (If-Match names the current one).");
        group.MapGet("/{id:int}/figures", Figures)
            .WithSummary("Area km², perimeter km, Polsby-Popper, street km by class, incidents and stations inside.");
        return app;
    }

    public sealed record ProblemView(string Kind, string Message, double? AreaSquareMeters, string? Other);

    /// <summary>Whether the boundary is valid, and its problems as GeoJSON features with their place.</summary>
    public sealed record ValidationReport(bool Valid, FeatureCollection Problems);

    /// <summary>What a repair changed (m²), the repaired boundary and the added and removed areas as GeoJSON;
    /// <paramref name="ChangeNotes"/> are <paramref name="Changes"/> as notes (code, args, text).</summary>
    public sealed record RepairView(bool Applied, int Version, IReadOnlyList<string> Changes, double AddedSquareMeters,
        double RemovedSquareMeters, Feature Repaired, Feature Added, Feature Removed, IReadOnlyList<Core.Notes.Note> ChangeNotes);

    public sealed record FiguresView(int NeighborhoodId, int Version, double AreaKm2, double PerimeterKm, double PolsbyPopper,
        double StreetKm, Dictionary<string, double> StreetKmByClass, int Blocks, int Incidents, int Stations);

    public static async Task<Results<JsonOk<ValidationReport>, RequestProblem>> ValidateDraft(HttpRequest request, SurroundingsQuery surroundings, IOptions<BarrioOptions> options, CancellationToken ct)
    {
        var (feature, error) = await GeoJsonBody.ReadFeatureAsync(request, options.Value.MaxUploadBytes, ct);
        if (error is not null) return error;
        var ubigeo = feature!.Attributes?.Exists("districtUbigeo") == true ? feature.Attributes["districtUbigeo"]?.ToString() : null;
        // A reshaped boundary names its neighbourhood ('id'): its stored version is not an overlap with itself.
        int? self = feature.Attributes?.Exists("id") == true
                    && int.TryParse(Convert.ToString(feature.Attributes["id"], System.Globalization.CultureInfo.InvariantCulture), out var sid) ? sid : null;
        var around = await surroundings.LoadAsync(feature.Geometry.Envelope, ubigeo, self, ct);
        return Report(BoundaryValidator.Validate(feature.Geometry, around.District?.Boundary, Others(around)));
    }

    public static async Task<Results<JsonOk<ValidationReport>, NotFoundProblem>> ValidateStored(int id, NeighborhoodStore store, SurroundingsQuery surroundings, CancellationToken ct)
    {
        var n = await store.FindAsync(id, ct);
        if (n is null) return Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id)));
        var around = await surroundings.LoadAsync(n.Boundary, n.DistrictUbigeo, n.Id, ct);
        return Report(BoundaryValidator.Validate(n.Boundary, around.District?.Boundary, Others(around)));
    }

    public static async Task<Results<JsonOk<RepairView>, NotFoundProblem, ConflictProblem, PreconditionRequiredProblem, PreconditionFailedProblem>> Repair(
        int id, bool? apply, bool? removeOverlaps, EditContext edit, NeighborhoodStore store, SurroundingsQuery surroundings, HttpRequest request, CancellationToken ct)
    {
        if (apply == true && edit.UnusableIfMatch() is { } unusable) return unusable;
        var n = await store.FindAsync(id, ct);
        if (n is null) return Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id)));
        if (apply == true && edit.IfMatch is { } named && named != n.Version) // refused even when there is nothing to repair
            return EditContext.StalePrecondition(Note.Of("api.repair_stale", ("id", id), ("version", n.Version), ("asked", named)), n.Version);
        var around = await surroundings.LoadAsync(n.Boundary, n.DistrictUbigeo, n.Id, ct);
        var repair = BoundaryRepairer.Repair(n.Boundary, around.District?.Boundary, Others(around),
            new RepairOptions { RemoveOverlaps = removeOverlaps ?? false });
        var repaired = repair.Repaired as MultiPolygon ?? n.Boundary.Factory.CreateMultiPolygon([(Polygon)repair.Repaired]);
        var version = n.Version;
        if (apply == true && repair.Changes.Count > 0)
        {
            if (edit.ExpectedVersion() is not { } expected)
                return Problems.VersionRequired(Note.Of("api.repair_version_required"));
            var saved = await store.UpdateAsync(id, expected, new NeighborhoodChange(null, null, repaired, null, null, null),
                // The version's comment in the language the request asks for (the viewer's), English when it asks for
                // none (scripts, as for titles): the history shows it as written.
                new Edit(edit.Author(), NoteLanguages.Asked(request) == "es"
                    ? "Reparación: " + string.Join(" ", repair.ChangeNotes.Select(c => c.Text("es")))
                    : "Repair: " + string.Join(" ", repair.ChangeNotes.Select(c => c.English))), ct);
            if (saved.Outcome == NeighborhoodSaveOutcome.StaleVersion)
                return EditContext.StalePrecondition(saved.Reason, saved.Neighborhood?.Version, saved.ChangedBy, saved.ChangedAt);
            if (saved.Outcome != NeighborhoodSaveOutcome.Saved)
                return Problems.Conflict("Not saved", saved.Reason ?? Note.Of("store.field_missing"),
                    new Dictionary<string, object?> { ["currentVersion"] = saved.Neighborhood?.Version });
            version = saved.Neighborhood!.Version;
        }
        return GeoJson.Ok(new RepairView(
            apply == true && repair.Changes.Count > 0,
            version,
            repair.Changes,
            Math.Round(repair.AddedSquareMeters, 1),
            Math.Round(repair.RemovedSquareMeters, 1),
            new Feature(repaired, new AttributesTable { { "name", n.Name }, { "areaKm2", Math.Round(Measure.AreaSquareMeters(repaired) / 1e6, 4) } }),
            new Feature(repair.Added, new AttributesTable { { "change", "added" } }),
            new Feature(repair.Removed, new AttributesTable { { "change", "removed" } }),
            repair.ChangeNotes));
    }

    public static async Task<Results<Ok<FiguresView>, NotFoundProblem>> Figures(int id, NeighborhoodStore store, SurroundingsQuery surroundings, CancellationToken ct)
    {
        var n = await store.FindAsync(id, ct);
        if (n is null) return Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id)));
        var around = await surroundings.LoadAsync(n.Boundary, n.DistrictUbigeo, n.Id, ct);
        // Blocks straight from the streets: the figures never depend on whether blocks were kept before.
        IEnumerable<Geometry> blocks;
        try { blocks = BlockBuilder.Build(around.Streets.Select(s => new StreetLine(s.Geometry, s.Class, s.Layer)), n.Boundary).Blocks.Select(b => b.Geometry); }
        catch (ArgumentException) { blocks = []; } // no street inside: no blocks
        var figures = NeighborhoodMetrics.Compute(n.Boundary,
            around.Streets.Select(s => ((Geometry)s.Geometry, s.Class)),
            blocks,
            around.Incidents.Select(i => i.Location),
            around.Stations.Select(s => s.Location));
        return TypedResults.Ok(new FiguresView(
            n.Id,
            n.Version,
            Math.Round(figures.AreaKm2, 4),
            Math.Round(figures.PerimeterKm, 3),
            Math.Round(figures.PolsbyPopper, 4),
            Math.Round(figures.StreetKm, 3),
            figures.StreetKmByClass.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 3)),
            figures.Blocks,
            figures.Incidents,
            figures.Stations));
    }

    private static IEnumerable<OtherBoundary> Others(Surroundings around) =>
        around.Others.Select(o => new OtherBoundary(o.Name, o.Boundary));

    /// <summary>A note's arguments as a GeoJSON property (numbers, strings, lists of strings).</summary>
    private static AttributesTable NoteArgs(Core.Notes.Note note)
    {
        var table = new AttributesTable();
        foreach (var (name, value) in note.Args) table.Add(name, value);
        return table;
    }

    private static JsonOk<ValidationReport> Report(BoundaryValidation validation)
    {
        var features = new FeatureCollection();
        foreach (var p in validation.Problems)
            features.Add(new Feature(p.Location, new AttributesTable
            {
                { "kind", p.Kind }, { "message", p.Message }, { "areaM2", p.AreaSquareMeters is { } a ? Math.Round(a, 1) : null }, { "other", p.Other },
                // The message's note: a client says it in its own language from the catalog (GET /api/notes/catalog).
                { "code", p.Note.Code }, { "args", NoteArgs(p.Note) },
            }));
        return GeoJson.Ok(new ValidationReport(validation.IsValid, features));
    }
}
