using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <inheritdoc />
    public partial class PlanCoverageAndRoutes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "ix_plan_coverages_plan_id",
                table: "plan_coverages",
                column: "plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_routes_plan_id",
                table: "plan_routes",
                column: "plan_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plan_coverages");

            migrationBuilder.DropTable(
                name: "plan_routes");
        }
    }
}
