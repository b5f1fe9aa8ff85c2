using BarrioSeguro.Geo.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <summary>
    /// Exports (issue 15.2): the data version of the exported tables the Tiles migration did not version yet, bumped by
    /// the same statement triggers, so an export is cached and tagged by the version it was made at instead of hashing
    /// the rows on every request. No model change: the table is read by raw SQL only (FeatureRows, TileStore).
    /// </summary>
    [DbContext(typeof(BarrioDbContext))]
    [Migration("20261202010000_ExportVersions")]
    public partial class ExportVersions : Migration
    {
        private static readonly string[] Tables = ["incidents", "buildings"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
                migrationBuilder.Sql($"""
                    INSERT INTO tile_versions (collection) VALUES ('{table}') ON CONFLICT (collection) DO NOTHING;
                    CREATE TRIGGER {table}_tile_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                        FOR EACH STATEMENT EXECUTE FUNCTION tile_versions_bump();
                    """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_tile_version ON {table}; DELETE FROM tile_versions WHERE collection = '{table}';");
        }
    }
}
