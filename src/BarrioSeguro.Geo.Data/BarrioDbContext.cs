using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Data.Audit;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Data.Accounts;
using BarrioSeguro.Geo.Data.Blocks;
using BarrioSeguro.Geo.Data.Import;
using Microsoft.EntityFrameworkCore;

namespace BarrioSeguro.Geo.Data;

/// <summary>The PostGIS database: geometries are stored in EPSG:4326 with a GiST index each.</summary>
public sealed class BarrioDbContext(DbContextOptions<BarrioDbContext> options) : DbContext(options)
{
    public DbSet<District> Districts => Set<District>();
    public DbSet<Province> Provinces => Set<Province>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<Neighborhood> Neighborhoods => Set<Neighborhood>();
    public DbSet<Station> Stations => Set<Station>();
    public DbSet<Street> Streets => Set<Street>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<Contingent> Contingents => Set<Contingent>();
    public DbSet<HotSpot> HotSpots => Set<HotSpot>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<NeighborhoodRevision> NeighborhoodRevisions => Set<NeighborhoodRevision>();
    public DbSet<Block> Blocks => Set<Block>();
    public DbSet<SectorPlan> SectorPlans => Set<SectorPlan>();
    public DbSet<PlanSector> PlanSectors => Set<PlanSector>();
    public DbSet<PlanCoverage> PlanCoverages => Set<PlanCoverage>();
    public DbSet<PlanRoute> PlanRoutes => Set<PlanRoute>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<ImportFeature> ImportFeatures => Set<ImportFeature>();

    /// <summary>Shadow column of streets and stations: the import (dataset) a row came from; null for rows entered by hand.</summary>
    public const string DatasetColumn = "DatasetId";

    /// <summary>The shadow property of districts, provinces and departments holding <see cref="PlaceNames.Fold"/> of the name.</summary>
    public const string SearchName = "SearchName";

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasPostgresExtension("postgis");

        model.Entity<District>(e =>
        {
            e.ToTable("districts");
            e.HasKey(d => d.Ubigeo);
            e.Property(d => d.Ubigeo).HasMaxLength(6);
            e.Property(d => d.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(d => d.Boundary).HasMethod("gist");
            // The folded name searched by GET /api/districts (accents and case aside), kept by PostgreSQL itself.
            e.Property<string>(SearchName).HasColumnName("search_name").HasComputedColumnSql(PlaceNames.SqlFold("name"), stored: true);
            e.HasIndex(d => d.Province);
            e.HasIndex(d => d.Department);
        });

        model.Entity<Province>(e =>
        {
            e.ToTable("provinces");
            e.HasKey(p => p.Code);
            e.Property(p => p.Code).HasMaxLength(4);
            e.Property(p => p.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(p => p.Boundary).HasMethod("gist");
            e.Property<string>(SearchName).HasColumnName("search_name").HasComputedColumnSql(PlaceNames.SqlFold("name"), stored: true);
        });

        model.Entity<Department>(e =>
        {
            e.ToTable("departments");
            e.HasKey(d => d.Code);
            e.Property(d => d.Code).HasMaxLength(2);
            e.Property(d => d.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(d => d.Boundary).HasMethod("gist");
            e.Property<string>(SearchName).HasColumnName("search_name").HasComputedColumnSql(PlaceNames.SqlFold("name"), stored: true);
        });

        model.Entity<Neighborhood>(e =>
        {
            e.ToTable("neighborhoods");
            e.Property(n => n.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(n => n.Boundary).HasMethod("gist");
            e.HasIndex(n => n.Name).IsUnique();
            e.Property(n => n.Status).HasConversion<string>().HasMaxLength(16);
            // Optimistic concurrency: an update that started from an older version fails instead of overwriting.
            e.Property(n => n.Version).IsConcurrencyToken();
            e.HasOne<District>().WithMany().HasForeignKey(n => n.DistrictUbigeo).OnDelete(DeleteBehavior.Restrict);
            // lifecycle: a deleted neighbourhood is kept but hidden from every query; IgnoreQueryFilters() sees it.
            e.HasQueryFilter(n => n.DeletedAt == null);
        });

        model.Entity<NeighborhoodRevision>(e =>
        {
            e.ToTable("neighborhood_revisions");
            e.Property(r => r.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(r => new { r.NeighborhoodId, r.Version }).IsUnique();
            e.HasOne<Neighborhood>().WithMany().HasForeignKey(r => r.NeighborhoodId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Block>(e =>
        {
            e.ToTable("blocks");
            // The same block may belong to a district's set and a neighbourhood's: the scope is part of the key.
            e.Property<string>(BlockStore.ScopeColumn).HasMaxLength(64);
            e.HasKey(BlockStore.ScopeColumn, nameof(Block.Id));
            e.Property(b => b.Geometry).HasColumnType("geometry(Polygon,4326)");
            e.HasIndex(b => b.Geometry).HasMethod("gist");
        });

        model.Entity<SectorPlan>(e =>
        {
            e.ToTable("sector_plans");
            e.Property(p => p.ParametersJson).HasColumnType("jsonb");
            e.Property(p => p.AssignmentJson).HasColumnType("jsonb");
            e.Property(p => p.ReportJson).HasColumnType("jsonb");
            e.HasIndex(p => p.NeighborhoodId);
            e.HasOne<Neighborhood>().WithMany().HasForeignKey(p => p.NeighborhoodId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Contingent>().WithMany().HasForeignKey(p => p.ContingentId).OnDelete(DeleteBehavior.SetNull);
            e.HasQueryFilter(p => p.DeletedAt == null); // lifecycle: deleted plans are hidden, restorable
        });

        model.Entity<PlanSector>(e =>
        {
            e.ToTable("plan_sectors");
            e.HasKey(s => new { s.PlanId, s.Sector });
            e.Property(s => s.Geometry).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(s => s.Geometry).HasMethod("gist");
            e.HasOne<SectorPlan>().WithMany().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<PlanCoverage>(e =>
        {
            e.ToTable("plan_coverages");
            e.Property(c => c.ReportJson).HasColumnType("jsonb");
            e.Property(c => c.Covered).HasColumnType("geometry(MultiLineString,4326)");
            e.Property(c => c.Uncovered).HasColumnType("geometry(MultiLineString,4326)");
            e.Property(c => c.Backup).HasColumnType("geometry(MultiLineString,4326)");
            e.HasIndex(c => c.PlanId);
            e.HasOne<SectorPlan>().WithMany().HasForeignKey(c => c.PlanId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<PlanRoute>(e =>
        {
            e.ToTable("plan_routes");
            e.Property(r => r.ReportJson).HasColumnType("jsonb");
            e.Property(r => r.Track).HasColumnType("geometry(LineString,4326)");
            e.Property(r => r.Stops).HasColumnType("geometry(MultiPoint,4326)");
            e.Property(r => r.CycleDay).HasDefaultValue(1);
            e.HasIndex(r => r.PlanId);
            e.HasOne<SectorPlan>().WithMany().HasForeignKey(r => r.PlanId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Station>(e =>
        {
            e.ToTable("stations");
            e.Property(s => s.Location).HasColumnType("geometry(Point,4326)");
            e.HasIndex(s => s.Location).HasMethod("gist");
            e.Property(s => s.Version).IsConcurrencyToken(); // forms: a change from an older version is refused
            e.Property<int?>(DatasetColumn);
        });

        model.Entity<HotSpot>(e =>
        {
            e.ToTable("hot_spots");
            e.Property(h => h.Location).HasColumnType("geometry(Point,4326)");
            e.HasIndex(h => h.Location).HasMethod("gist");
            e.Property(h => h.Version).IsConcurrencyToken();
        });

        model.Entity<Street>(e =>
        {
            e.ToTable("streets");
            e.Property(s => s.Geometry).HasColumnType("geometry(MultiLineString,4326)");
            e.HasIndex(s => s.Geometry).HasMethod("gist");
            e.HasIndex(s => s.OsmId);
            e.Property<int?>(DatasetColumn);
            e.HasIndex(DatasetColumn);
        });

        model.Entity<Building>(e =>
        {
            e.ToTable("buildings");
            e.Property(b => b.Geometry).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(b => b.Geometry).HasMethod("gist");
            e.HasIndex(b => b.OsmId);
            e.Property<int?>(DatasetColumn);
            e.HasIndex(DatasetColumn);
        });

        model.Entity<Incident>(e =>
        {
            e.ToTable("incidents");
            e.Property(i => i.Location).HasColumnType("geometry(Point,4326)");
            e.HasIndex(i => i.Location).HasMethod("gist");
            e.HasIndex(i => i.OccurredAt);
            e.Property(i => i.Version).IsConcurrencyToken();
        });

        model.Entity<Contingent>(e =>
        {
            e.ToTable("contingents");
            e.Ignore(c => c.OfficersPerShift);
            e.Property(c => c.Version).IsConcurrencyToken();
            e.HasOne<Neighborhood>().WithMany().HasForeignKey(c => c.NeighborhoodId).OnDelete(DeleteBehavior.Cascade);
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_contingents_officers", "officers >= 0");
                t.HasCheckConstraint("ck_contingents_shifts", "shifts >= 1");
                t.HasCheckConstraint("ck_contingents_availability", "availability > 0 AND availability <= 1");
                t.HasCheckConstraint("ck_contingents_crew_size", "crew_size >= 1");
            });
        });

        model.Entity<AuditEntry>(e =>
        {
            // Append-only: the AuditTrail migration adds a trigger that refuses UPDATE, DELETE and TRUNCATE.
            e.ToTable("audit_entries");
            e.Property(a => a.Detail).HasColumnType("jsonb");
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.UserName);
            e.HasIndex(a => new { a.ResourceKind, a.ResourceId });
        });

        model.Entity<Dataset>(e =>
        {
            e.ToTable("datasets");
            // A deleted import no longer holds its checksum: the same file may be loaded again.
            e.HasIndex(d => new { d.Collection, d.Sha256 }).IsUnique().HasFilter("deleted_at IS NULL");
            e.HasIndex(d => new { d.Collection, d.DistrictUbigeo, d.Version });
            e.Property(d => d.DistrictUbigeo).HasMaxLength(6);
            e.HasQueryFilter(d => d.DeletedAt == null);
        });

        model.Entity<ImportFeature>(e =>
        {
            e.ToTable("import_features");
            e.Property(f => f.Geometry).HasColumnType("geometry(Geometry,4326)");
            e.Property(f => f.PropertiesJson).HasColumnType("jsonb");
            e.HasIndex(f => new { f.DatasetId, f.Ordinal });
            e.HasOne<Dataset>().WithMany().HasForeignKey(f => f.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<UserAccount>(e =>
        {
            e.ToTable("users");
            e.HasIndex(u => u.Name).IsUnique();
            e.Property(u => u.Name).HasMaxLength(64);
            e.Property(u => u.Role).HasConversion<string>().HasMaxLength(16);
        });
    }
}
