using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <inheritdoc />
    public partial class Osm : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "bridge",
                table: "streets",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "max_speed_kmh",
                table: "streets",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "tunnel",
                table: "streets",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "bridge",
                table: "streets");

            migrationBuilder.DropColumn(
                name: "max_speed_kmh",
                table: "streets");

            migrationBuilder.DropColumn(
                name: "tunnel",
                table: "streets");
        }
    }
}
