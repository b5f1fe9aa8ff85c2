using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <inheritdoc />
    public partial class SectorPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "availability",
                table: "contingents",
                type: "double precision",
                nullable: false,
                defaultValue: 1.0); // existing contingents: everyone available, as before

            migrationBuilder.AddColumn<int>(
                name: "crew_size",
                table: "contingents",
                type: "integer",
                nullable: false,
                defaultValue: 2); // a foot pair

            migrationBuilder.AddColumn<int>(
                name: "joint_units",
                table: "contingents",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "mode",
                table: "contingents",
                type: "text",
                nullable: false,
                defaultValue: "foot");

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

            migrationBuilder.AddCheckConstraint(
                name: "ck_contingents_availability",
                table: "contingents",
                sql: "availability > 0 AND availability <= 1");

            migrationBuilder.AddCheckConstraint(
                name: "ck_contingents_crew_size",
                table: "contingents",
                sql: "crew_size >= 1");

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plan_sectors");

            migrationBuilder.DropTable(
                name: "sector_plans");

            migrationBuilder.DropCheckConstraint(
                name: "ck_contingents_availability",
                table: "contingents");

            migrationBuilder.DropCheckConstraint(
                name: "ck_contingents_crew_size",
                table: "contingents");

            migrationBuilder.DropColumn(
                name: "availability",
                table: "contingents");

            migrationBuilder.DropColumn(
                name: "crew_size",
                table: "contingents");

            migrationBuilder.DropColumn(
                name: "joint_units",
                table: "contingents");

            migrationBuilder.DropColumn(
                name: "mode",
                table: "contingents");
        }
    }
}
