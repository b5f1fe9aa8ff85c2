using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <inheritdoc />
    public partial class Lifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_datasets_collection_sha256",
                table: "datasets");

            migrationBuilder.AddColumn<int>(
                name: "dataset_id",
                table: "streets",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "dataset_id",
                table: "stations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "dataset_id",
                table: "sector_plans",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deleted_at",
                table: "sector_plans",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "deleted_by",
                table: "sector_plans",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deleted_at",
                table: "neighborhoods",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "deleted_by",
                table: "neighborhoods",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deleted_at",
                table: "datasets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "deleted_by",
                table: "datasets",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "district_ubigeo",
                table: "datasets",
                type: "character varying(6)",
                maxLength: 6,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "imported_by",
                table: "datasets",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "replaces_id",
                table: "datasets",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "datasets",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            // Loads made before versions: numbered in the order they were made, per collection (none had a district).
            migrationBuilder.Sql("""
                UPDATE datasets d SET version = n.v
                FROM (SELECT id, row_number() OVER (PARTITION BY collection ORDER BY id) AS v FROM datasets) n
                WHERE d.id = n.id;
                """);

            migrationBuilder.CreateTable(
                name: "import_features",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    dataset_id = table.Column<int>(type: "integer", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    osm_id = table.Column<long>(type: "bigint", nullable: true),
                    name = table.Column<string>(type: "text", nullable: true),
                    geometry = table.Column<Geometry>(type: "geometry(Geometry,4326)", nullable: false),
                    properties_json = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_features", x => x.id);
                    table.ForeignKey(
                        name: "fk_import_features_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_streets_dataset_id",
                table: "streets",
                column: "dataset_id");

            migrationBuilder.CreateIndex(
                name: "ix_datasets_collection_district_ubigeo_version",
                table: "datasets",
                columns: new[] { "collection", "district_ubigeo", "version" });

            migrationBuilder.CreateIndex(
                name: "ix_datasets_collection_sha256",
                table: "datasets",
                columns: new[] { "collection", "sha256" },
                unique: true,
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_import_features_dataset_id_ordinal",
                table: "import_features",
                columns: new[] { "dataset_id", "ordinal" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "import_features");

            migrationBuilder.DropIndex(
                name: "ix_streets_dataset_id",
                table: "streets");

            migrationBuilder.DropIndex(
                name: "ix_datasets_collection_district_ubigeo_version",
                table: "datasets");

            migrationBuilder.DropIndex(
                name: "ix_datasets_collection_sha256",
                table: "datasets");

            migrationBuilder.DropColumn(
                name: "dataset_id",
                table: "streets");

            migrationBuilder.DropColumn(
                name: "dataset_id",
                table: "stations");

            migrationBuilder.DropColumn(
                name: "dataset_id",
                table: "sector_plans");

            migrationBuilder.DropColumn(
                name: "deleted_at",
                table: "sector_plans");

            migrationBuilder.DropColumn(
                name: "deleted_by",
                table: "sector_plans");

            migrationBuilder.DropColumn(
                name: "deleted_at",
                table: "neighborhoods");

            migrationBuilder.DropColumn(
                name: "deleted_by",
                table: "neighborhoods");

            migrationBuilder.DropColumn(
                name: "deleted_at",
                table: "datasets");

            migrationBuilder.DropColumn(
                name: "deleted_by",
                table: "datasets");

            migrationBuilder.DropColumn(
                name: "district_ubigeo",
                table: "datasets");

            migrationBuilder.DropColumn(
                name: "imported_by",
                table: "datasets");

            migrationBuilder.DropColumn(
                name: "replaces_id",
                table: "datasets");

            migrationBuilder.DropColumn(
                name: "version",
                table: "datasets");

            migrationBuilder.CreateIndex(
                name: "ix_datasets_collection_sha256",
                table: "datasets",
                columns: new[] { "collection", "sha256" },
                unique: true);
        }
    }
}
