using BarrioSeguro.Geo.Api.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>A small test host with the service's error handling (ApiErrors, as Program.cs wires it) and the given routes.</summary>
public static class ErrorHost
{
    public static async Task<HttpClient> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddApiErrors();
        var app = builder.Build();
        app.UseApiErrors();
        map(app);
        await app.StartAsync();
        return app.GetTestClient();
    }
}
