using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BarrioSeguro.Geo.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a running database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<BarrioDbContext>
{
    public BarrioDbContext CreateDbContext(string[] args) =>
        new(BarrioDatabase.Options("Host=localhost;Database=barrio_design"));
}
