using System.Globalization;
using BarrioSeguro.Geo.Api.Hosting;

namespace BarrioSeguro.Geo.Api.Auth;

/// <summary>
/// What every signed-in request checks of its user (disabled, token version), kept between requests while PostgreSQL
/// tells this service of every change to it (<c>barrio_token_state</c>, raised by triggers on <c>users</c> whoever
/// writes: the service, <c>barrio user</c>, psql). Nothing is kept while no one listens: then every request reads the
/// account, as before.
/// </summary>
public sealed class TokenStates() : KeptWhileAnnounced<int, (bool Disabled, int TokenVersion)>(MaxKept)
{
    /// <summary>More accounts than this and the kept states are dropped (a police force has hundreds, not millions).</summary>
    public const int MaxKept = 100_000;

    public const string NoticeChannel = "barrio_token_state";

    public override string Channel => NoticeChannel;

    public override IReadOnlyList<string> Triggers { get; } = ["users_token_state_change", "users_token_state_delete", "users_token_state_truncate"];

    /// <summary>An account's id, or <c>*</c> (a truncate): any account may have changed.</summary>
    public override void Heard(string payload)
    {
        if (int.TryParse(payload, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)) Forget(id);
        else ForgetAll();
    }
}
