using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,");

            migrationBuilder.CreateTable(
                name: "blocks",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    scope = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    geometry = table.Column<Polygon>(type: "geometry(Polygon,4326)", nullable: false),
                    area_square_meters = table.Column<double>(type: "double precision", nullable: false),
                    perimeter_meters = table.Column<double>(type: "double precision", nullable: false),
                    frontage_meters = table.Column<double>(type: "double precision", nullable: false),
                    incidents = table.Column<int>(type: "integer", nullable: false),
                    buildings = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_blocks", x => new { x.scope, x.id });
                });

            migrationBuilder.CreateTable(
                name: "datasets",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    collection = table.Column<string>(type: "text", nullable: false),
                    sha256 = table.Column<string>(type: "text", nullable: false),
                    feature_count = table.Column<int>(type: "integer", nullable: false),
                    loaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_datasets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "districts",
                columns: table => new
                {
                    ubigeo = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    province = table.Column<string>(type: "text", nullable: true),
                    department = table.Column<string>(type: "text", nullable: true),
                    boundary = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    source = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_districts", x => x.ubigeo);
                });

            migrationBuilder.CreateTable(
                name: "incidents",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    category = table.Column<string>(type: "text", nullable: false),
                    location = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    is_synthetic = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incidents", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stations",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    osm_id = table.Column<long>(type: "bigint", nullable: true),
                    name = table.Column<string>(type: "text", nullable: true),
                    @operator = table.Column<string>(name: "operator", type: "text", nullable: true),
                    district_ubigeo = table.Column<string>(type: "text", nullable: true),
                    location = table.Column<Point>(type: "geometry(Point,4326)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "streets",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    osm_id = table.Column<long>(type: "bigint", nullable: true),
                    name = table.Column<string>(type: "text", nullable: true),
                    @class = table.Column<string>(name: "class", type: "text", nullable: false),
                    oneway = table.Column<bool>(type: "boolean", nullable: false),
                    layer = table.Column<int>(type: "integer", nullable: false),
                    geometry = table.Column<MultiLineString>(type: "geometry(MultiLineString,4326)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_streets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "neighborhoods",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    district_ubigeo = table.Column<string>(type: "character varying(6)", nullable: true),
                    boundary = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    is_illustrative = table.Column<bool>(type: "boolean", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_neighborhoods", x => x.id);
                    table.ForeignKey(
                        name: "fk_neighborhoods_districts_district_ubigeo",
                        column: x => x.district_ubigeo,
                        principalTable: "districts",
                        principalColumn: "ubigeo",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "contingents",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    neighborhood_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    officers = table.Column<int>(type: "integer", nullable: false),
                    shifts = table.Column<int>(type: "integer", nullable: false),
                    availability = table.Column<double>(type: "double precision", nullable: false),
                    mode = table.Column<string>(type: "text", nullable: false),
                    crew_size = table.Column<int>(type: "integer", nullable: false),
                    joint_units = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contingents", x => x.id);
                    table.CheckConstraint("ck_contingents_availability", "availability > 0 AND availability <= 1");
                    table.CheckConstraint("ck_contingents_crew_size", "crew_size >= 1");
                    table.CheckConstraint("ck_contingents_officers", "officers >= 0");
                    table.CheckConstraint("ck_contingents_shifts", "shifts >= 1");
                    table.ForeignKey(
                        name: "fk_contingents_neighborhoods_neighborhood_id",
                        column: x => x.neighborhood_id,
                        principalTable: "neighborhoods",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "neighborhood_revisions",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    neighborhood_id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    boundary = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    author = table.Column<string>(type: "text", nullable: false),
                    comment = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    added_square_meters = table.Column<double>(type: "double precision", nullable: false),
                    removed_square_meters = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_neighborhood_revisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_neighborhood_revisions_neighborhoods_neighborhood_id",
                        column: x => x.neighborhood_id,
                        principalTable: "neighborhoods",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sector_plans",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    neighborhood_id = table.Column<int>(type: "integer", nullable: false),
                    neighborhood_version = table.Column<int>(type: "integer", nullable: false),
                    contingent_id = table.Column<int>(type: "integer", nullable: true),
                    name = table.Column<string>(type: "text", nullable: false),
                    author = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sectors = table.Column<int>(type: "integer", nullable: false),
                    seed = table.Column<int>(type: "integer", nullable: false),
                    parameters_json = table.Column<string>(type: "jsonb", nullable: false),
                    data_version = table.Column<string>(type: "text", nullable: false),
                    assignment_json = table.Column<string>(type: "jsonb", nullable: false),
                    report_json = table.Column<string>(type: "jsonb", nullable: false),
                    max_deviation_pct = table.Column<double>(type: "double precision", nullable: false),
                    mean_polsby_popper = table.Column<double>(type: "double precision", nullable: false),
                    contiguous = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sector_plans", x => x.id);
                    table.ForeignKey(
                        name: "fk_sector_plans_contingents_contingent_id",
                        column: x => x.contingent_id,
                        principalTable: "contingents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_sector_plans_neighborhoods_neighborhood_id",
                        column: x => x.neighborhood_id,
                        principalTable: "neighborhoods",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_coverages",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    plan_id = table.Column<int>(type: "integer", nullable: false),
                    mode = table.Column<string>(type: "text", nullable: false),
                    minutes = table.Column<double>(type: "double precision", nullable: false),
                    shift = table.Column<string>(type: "text", nullable: false),
                    units = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    report_json = table.Column<string>(type: "jsonb", nullable: false),
                    covered = table.Column<MultiLineString>(type: "geometry(MultiLineString,4326)", nullable: false),
                    uncovered = table.Column<MultiLineString>(type: "geometry(MultiLineString,4326)", nullable: false),
                    backup = table.Column<MultiLineString>(type: "geometry(MultiLineString,4326)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_coverages", x => x.id);
                    table.ForeignKey(
                        name: "fk_plan_coverages_sector_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "sector_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_routes",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    plan_id = table.Column<int>(type: "integer", nullable: false),
                    sector = table.Column<int>(type: "integer", nullable: false),
                    shift = table.Column<string>(type: "text", nullable: false),
                    mode = table.Column<string>(type: "text", nullable: false),
                    seed = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    track = table.Column<LineString>(type: "geometry(LineString,4326)", nullable: false),
                    stops = table.Column<MultiPoint>(type: "geometry(MultiPoint,4326)", nullable: false),
                    report_json = table.Column<string>(type: "jsonb", nullable: false),
                    gpx = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_routes", x => x.id);
                    table.ForeignKey(
                        name: "fk_plan_routes_sector_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "sector_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_sectors",
                columns: table => new
                {
                    plan_id = table.Column<int>(type: "integer", nullable: false),
                    sector = table.Column<int>(type: "integer", nullable: false),
                    geometry = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    workload = table.Column<double>(type: "double precision", nullable: false),
                    blocks = table.Column<int>(type: "integer", nullable: false),
                    area_km2 = table.Column<double>(type: "double precision", nullable: false),
                    polsby_popper = table.Column<double>(type: "double precision", nullable: false),
                    contiguous = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_sectors", x => new { x.plan_id, x.sector });
                    table.ForeignKey(
                        name: "fk_plan_sectors_sector_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "sector_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_blocks_geometry",
                table: "blocks",
                column: "geometry")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_contingents_neighborhood_id",
                table: "contingents",
                column: "neighborhood_id");

            migrationBuilder.CreateIndex(
                name: "ix_datasets_collection_sha256",
                table: "datasets",
                columns: new[] { "collection", "sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_districts_boundary",
                table: "districts",
                column: "boundary")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_location",
                table: "incidents",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_occurred_at",
                table: "incidents",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_neighborhood_revisions_neighborhood_id_version",
                table: "neighborhood_revisions",
                columns: new[] { "neighborhood_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_neighborhoods_boundary",
                table: "neighborhoods",
                column: "boundary")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_neighborhoods_district_ubigeo",
                table: "neighborhoods",
                column: "district_ubigeo");

            migrationBuilder.CreateIndex(
                name: "ix_neighborhoods_name",
                table: "neighborhoods",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_plan_coverages_plan_id",
                table: "plan_coverages",
                column: "plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_routes_plan_id",
                table: "plan_routes",
                column: "plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_sectors_geometry",
                table: "plan_sectors",
                column: "geometry")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_sector_plans_contingent_id",
                table: "sector_plans",
                column: "contingent_id");

            migrationBuilder.CreateIndex(
                name: "ix_sector_plans_neighborhood_id",
                table: "sector_plans",
                column: "neighborhood_id");

            migrationBuilder.CreateIndex(
                name: "ix_stations_location",
                table: "stations",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_streets_geometry",
                table: "streets",
                column: "geometry")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_streets_osm_id",
                table: "streets",
                column: "osm_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blocks");

            migrationBuilder.DropTable(
                name: "datasets");

            migrationBuilder.DropTable(
                name: "incidents");

            migrationBuilder.DropTable(
                name: "neighborhood_revisions");

            migrationBuilder.DropTable(
                name: "plan_coverages");

            migrationBuilder.DropTable(
                name: "plan_routes");

            migrationBuilder.DropTable(
                name: "plan_sectors");

            migrationBuilder.DropTable(
                name: "stations");

            migrationBuilder.DropTable(
                name: "streets");

            migrationBuilder.DropTable(
                name: "sector_plans");

            migrationBuilder.DropTable(
                name: "contingents");

            migrationBuilder.DropTable(
                name: "neighborhoods");

            migrationBuilder.DropTable(
                name: "districts");
        }
    }
}
