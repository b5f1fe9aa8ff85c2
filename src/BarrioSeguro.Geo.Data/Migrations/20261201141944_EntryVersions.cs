using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <summary>Forms (issue 12): a version and who changed it last on contingents, stations and incidents; hot spots.</summary>
    public partial class EntryVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "changed_at",
                table: "stations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "changed_by",
                table: "stations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "stations",
                type: "integer",
                nullable: false,
                defaultValue: 1); // rows kept before versions start at version 1, as a new entry does

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "changed_at",
                table: "incidents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "changed_by",
                table: "incidents",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "incidents",
                type: "integer",
                nullable: false,
                defaultValue: 1); // rows kept before versions start at version 1, as a new entry does

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "changed_at",
                table: "contingents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "changed_by",
                table: "contingents",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "contingents",
                type: "integer",
                nullable: false,
                defaultValue: 1); // rows kept before versions start at version 1, as a new entry does

            migrationBuilder.CreateTable(
                name: "hot_spots",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    district_ubigeo = table.Column<string>(type: "text", nullable: true),
                    location = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    changed_by = table.Column<string>(type: "text", nullable: true),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hot_spots", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_hot_spots_location",
                table: "hot_spots",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hot_spots");

            migrationBuilder.DropColumn(
                name: "changed_at",
                table: "stations");

            migrationBuilder.DropColumn(
                name: "changed_by",
                table: "stations");

            migrationBuilder.DropColumn(
                name: "version",
                table: "stations");

            migrationBuilder.DropColumn(
                name: "changed_at",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "changed_by",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "version",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "changed_at",
                table: "contingents");

            migrationBuilder.DropColumn(
                name: "changed_by",
                table: "contingents");

            migrationBuilder.DropColumn(
                name: "version",
                table: "contingents");
        }
    }
}
