using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <inheritdoc />
    public partial class CalendarRoutes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "cycle_day",
                table: "plan_routes",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "cycle_shift",
                table: "plan_routes",
                type: "text",
                nullable: false,
                defaultValue: "");

            // Routes kept before the calendar entries are the asked routes: day 1 of their own shift.
            migrationBuilder.Sql("UPDATE plan_routes SET cycle_shift = shift;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cycle_day",
                table: "plan_routes");

            migrationBuilder.DropColumn(
                name: "cycle_shift",
                table: "plan_routes");
        }
    }
}
