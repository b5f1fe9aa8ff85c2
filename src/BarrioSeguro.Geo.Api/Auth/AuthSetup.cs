using System.Globalization;
using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace BarrioSeguro.Geo.Api.Auth;

/// <summary>Bearer tokens, their revocation, and the access table, switched on in one place.</summary>
public static class AuthSetup
{
    public static IServiceCollection AddBarrioAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section))
            .Validate(o => o.TokenMinutes is >= 1 and <= 7 * 24 * 60, "Barrio:Auth:TokenMinutes must be 1 to 10080 minutes.");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SigningKey>();
        services.AddSingleton<TokenIssuer>();
        services.AddScoped<DistrictScope>();
        services.AddAnnounced<TokenStates>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKey>((o, key) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = BarrioClaims.Issuer,
                ValidAudience = BarrioClaims.Issuer,
                IssuerSigningKey = key.Key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                NameClaimType = BarrioClaims.Name,
                RoleClaimType = BarrioClaims.Role,
                ClockSkew = TimeSpan.Zero,
            };
            o.Events = new JwtBearerEvents { OnTokenValidated = CheckNotRevokedAsync };
        });
        services.AddAuthorization();
        return services;
    }

    /// <summary>After static files (the viewer is public): who is calling, then the access table.</summary>
    public static IApplicationBuilder UseBarrioAuth(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<AccessGate>();
        return app;
    }

    // A token names its user's token version: disabling, a role change or a sign-out bumps it and ends older tokens.
    // The state is kept while PostgreSQL announces its changes (TokenStates), else read on every request.
    private static async Task CheckNotRevokedAsync(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        var id = int.TryParse(principal.FindFirst(BarrioClaims.Id)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : 0;
        var version = principal.FindFirst(BarrioClaims.TokenVersion)?.Value;
        var states = context.HttpContext.RequestServices.GetRequiredService<TokenStates>();
        (bool Disabled, int TokenVersion)? user;
        if (states.TryGet(id, out var known)) user = known;
        else
        {
            var generation = states.Generation;
            var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountStore>();
            user = await accounts.TokenStateAsync(id, context.HttpContext.RequestAborted);
            if (user is { } read) states.Keep(id, read, generation);
        }
        if (user is not { Disabled: false } state)
            context.Fail(new RevokedTokenException(Note.Of("auth.account_gone")));
        else if (state.TokenVersion.ToString(CultureInfo.InvariantCulture) != version)
            context.Fail(new RevokedTokenException(Note.Of("auth.token_revoked")));
    }
}
