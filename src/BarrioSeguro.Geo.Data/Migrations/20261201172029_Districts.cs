using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <inheritdoc />
    public partial class Districts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "search_name",
                table: "districts",
                type: "text",
                nullable: true,
                computedColumnSql: "lower(translate(name, 'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç', 'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))",
                stored: true);

            migrationBuilder.CreateTable(
                name: "departments",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    boundary = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    source = table.Column<string>(type: "text", nullable: true),
                    search_name = table.Column<string>(type: "text", nullable: true, computedColumnSql: "lower(translate(name, 'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç', 'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_departments", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "provinces",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    department = table.Column<string>(type: "text", nullable: true),
                    boundary = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    source = table.Column<string>(type: "text", nullable: true),
                    search_name = table.Column<string>(type: "text", nullable: true, computedColumnSql: "lower(translate(name, 'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç', 'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_provinces", x => x.code);
                });

            migrationBuilder.CreateIndex(
                name: "ix_districts_department",
                table: "districts",
                column: "department");

            migrationBuilder.CreateIndex(
                name: "ix_districts_province",
                table: "districts",
                column: "province");

            migrationBuilder.CreateIndex(
                name: "ix_departments_boundary",
                table: "departments",
                column: "boundary")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_provinces_boundary",
                table: "provinces",
                column: "boundary")
                .Annotation("Npgsql:IndexMethod", "gist");

            // Names loaded before were title-cased word by word ("Florencia De Mora"): Spanish writes the particles in
            // lower case inside a name, as PlaceNames.Display now does (its particles as of this migration).
            foreach (var particle in new[] { "de", "del", "la", "las", "los", "y", "e", "en" })
            {
                var capital = char.ToUpperInvariant(particle[0]) + particle[1..];
                migrationBuilder.Sql($"UPDATE districts SET name = replace(name, ' {capital} ', ' {particle} ') WHERE name LIKE '% {capital} %';");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "departments");

            migrationBuilder.DropTable(
                name: "provinces");

            migrationBuilder.DropIndex(
                name: "ix_districts_department",
                table: "districts");

            migrationBuilder.DropIndex(
                name: "ix_districts_province",
                table: "districts");

            migrationBuilder.DropColumn(
                name: "search_name",
                table: "districts");
        }
    }
}
