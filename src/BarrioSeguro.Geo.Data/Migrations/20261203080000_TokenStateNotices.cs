using BarrioSeguro.Geo.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <summary>
    /// Sign-in (issue 15.5): a change to an account's token state (disabled, token version) or its removal is announced
    /// on <c>barrio_token_state</c> with the account's id, whoever makes it (the service, <c>barrio user</c>, psql), so
    /// the service may keep what every request checks and drop it the moment it changes. No model change.
    /// </summary>
    [DbContext(typeof(BarrioDbContext))]
    [Migration("20261203080000_TokenStateNotices")]
    public partial class TokenStateNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION users_token_state_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'TRUNCATE' THEN
                        PERFORM pg_notify('barrio_token_state', '*');
                    ELSE
                        PERFORM pg_notify('barrio_token_state', OLD.id::text);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER users_token_state_change AFTER UPDATE OF disabled, token_version, id ON users
                    FOR EACH ROW WHEN (OLD.disabled IS DISTINCT FROM NEW.disabled OR OLD.token_version IS DISTINCT FROM NEW.token_version OR OLD.id IS DISTINCT FROM NEW.id)
                    EXECUTE FUNCTION users_token_state_notify();
                CREATE TRIGGER users_token_state_delete AFTER DELETE ON users
                    FOR EACH ROW EXECUTE FUNCTION users_token_state_notify();
                CREATE TRIGGER users_token_state_truncate AFTER TRUNCATE ON users
                    FOR EACH STATEMENT EXECUTE FUNCTION users_token_state_notify();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS users_token_state_change ON users;
                DROP TRIGGER IF EXISTS users_token_state_delete ON users;
                DROP TRIGGER IF EXISTS users_token_state_truncate ON users;
                DROP FUNCTION IF EXISTS users_token_state_notify();
                """);
        }
    }
}
