using BarrioSeguro.Geo.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <summary>
    /// Kept pages (issue 15.5): every change to <c>tile_versions</c> (a table's data version bumped, a row added or
    /// removed, a truncate) is announced on <c>barrio_data_version</c> with the table's name (<c>*</c> for a truncate),
    /// so the service may keep the versions its kept pages are checked against. No model change.
    /// </summary>
    [DbContext(typeof(BarrioDbContext))]
    [Migration("20261203120000_DataVersionNotices")]
    public partial class DataVersionNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION tile_versions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'TRUNCATE' THEN
                        PERFORM pg_notify('barrio_data_version', '*');
                    ELSIF TG_OP = 'INSERT' THEN
                        PERFORM pg_notify('barrio_data_version', NEW.collection);
                    ELSE
                        PERFORM pg_notify('barrio_data_version', OLD.collection);
                        IF TG_OP = 'UPDATE' AND NEW.collection IS DISTINCT FROM OLD.collection THEN
                            PERFORM pg_notify('barrio_data_version', NEW.collection);
                        END IF;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER tile_versions_notice AFTER INSERT OR UPDATE OR DELETE ON tile_versions
                    FOR EACH ROW EXECUTE FUNCTION tile_versions_notify();
                CREATE TRIGGER tile_versions_truncate_notice AFTER TRUNCATE ON tile_versions
                    FOR EACH STATEMENT EXECUTE FUNCTION tile_versions_notify();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS tile_versions_notice ON tile_versions;
                DROP TRIGGER IF EXISTS tile_versions_truncate_notice ON tile_versions;
                DROP FUNCTION IF EXISTS tile_versions_notify();
                """);
        }
    }
}
