using BarrioSeguro.Geo.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <summary>
    /// Vector tiles (issue 14.6): the data version of each tiled table, bumped by PostgreSQL on every statement that
    /// writes to it, whoever writes (service, CLI, psql). Tile ETags are made of it. No model change: the table is
    /// read by raw SQL only (TileStore).
    /// </summary>
    [DbContext(typeof(BarrioDbContext))]
    [Migration("20261201203000_Tiles")]
    public partial class Tiles : Migration
    {
        private static readonly string[] Tables = ["streets", "districts", "provinces", "departments", "neighborhoods", "blocks", "stations"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Versions start at the migration's time in ms, so two databases (or a re-created one) never share an ETag.
            migrationBuilder.Sql("""
                CREATE TABLE tile_versions (
                    collection text PRIMARY KEY,
                    version bigint NOT NULL DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
                CREATE FUNCTION tile_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE tile_versions SET version = version + 1 WHERE collection = TG_TABLE_NAME;
                    RETURN NULL;
                END $$;
                """);
            foreach (var table in Tables)
                migrationBuilder.Sql($"""
                    INSERT INTO tile_versions (collection) VALUES ('{table}');
                    CREATE TRIGGER {table}_tile_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                        FOR EACH STATEMENT EXECUTE FUNCTION tile_versions_bump();
                    """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_tile_version ON {table};");
            migrationBuilder.Sql("DROP TABLE IF EXISTS tile_versions; DROP FUNCTION IF EXISTS tile_versions_bump();");
        }
    }
}
