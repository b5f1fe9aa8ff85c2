using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <inheritdoc />
    public partial class StreetLayer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "layer",
                table: "streets",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "layer",
                table: "streets");
        }
    }
}
