using BarrioSeguro.Geo.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BarrioSeguro.Geo.Data.Migrations
{
    /// <summary>
    /// Coverage pieces (issue 15): a metro-area computation keeps megabytes of coordinates per column, which pglz
    /// compressed slowly and little (doubles barely compress); kept out of line uncompressed instead (EXTERNAL), the
    /// write costs the copy alone. Rows kept before keep their storage until rewritten. No model change.
    /// </summary>
    [DbContext(typeof(BarrioDbContext))]
    [Migration("20261202180000_CoveragePiecesStorage")]
    public partial class CoveragePiecesStorage : Migration
    {
        private static readonly string[] Columns = ["covered", "uncovered", "backup"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("ALTER TABLE plan_coverages " + string.Join(", ", Columns.Select(c => $"ALTER COLUMN {c} SET STORAGE EXTERNAL")) + ";");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("ALTER TABLE plan_coverages " + string.Join(", ", Columns.Select(c => $"ALTER COLUMN {c} SET STORAGE MAIN")) + ";");
    }
}
