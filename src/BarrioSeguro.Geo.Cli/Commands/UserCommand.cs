using BarrioSeguro.Geo.Data.Accounts;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary><c>barrio user add|list|disable|role</c>: the accounts of the service, in its database.</summary>
public sealed class UserCommand : ICommand
{
    public string Name => "user";

    public string Summary => "Add, list, disable users and change their role (the service's accounts)";

    public string Help => $"""
        Usage: barrio user add NAME --role ROLE [--district UBIGEO ...] --password-stdin [--db CONNECTION]
               barrio user list [--db CONNECTION]
               barrio user disable NAME [--db CONNECTION]
               barrio user role NAME ROLE [--district UBIGEO ...] [--db CONNECTION]

        Roles: viewer (reads), planner (neighbourhood boundaries, blocks), chief (contingents, plans, coverage,
        routes, field kits), gis (imports and exports), admin (users, and everything).
          --district UBIGEO  a district the user may see and change (repeat, or UBIGEO,UBIGEO); none: all of Peru
          --password-stdin   reads the password (at least {AccountStore.MinPasswordLength} characters) from the first line of stdin
        Disabling a user or changing the role ends the user's tokens. Every change leaves a row in the audit trail.
        {CliDatabase.Help}
        {CliAudit.Help}
        Example: printf '%s\n' "$PASS" | barrio user add ana --role planner --district 130104 --password-stdin
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        // Flags and repeated options that CommandArgs does not take: --password-stdin, --district (any number).
        var passwordStdin = false;
        var districts = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--password-stdin") passwordStdin = true;
            else if (a == "--district")
            {
                if (i + 1 >= args.Count) throw new UsageException("option '--district' needs a value");
                districts.AddRange(Split(args[++i]));
            }
            else if (a.StartsWith("--district=", StringComparison.Ordinal)) districts.AddRange(Split(a["--district=".Length..]));
            else rest.Add(a);
        }
        var p = CommandArgs.Parse(rest, "--role", "--db", CliAudit.AsOption);
        var words = p.Positionals;
        if (words.Count == 0) throw new UsageException("give a subcommand: add, list, disable or role");
        var action = words[0];
        string NameArg() => words.Count >= 2 ? words[1] : throw new UsageException($"user {action} needs a NAME");
        void Only(int count)
        {
            if (words.Count > count) throw new UsageException($"unexpected argument '{words[count]}'");
        }

        switch (action)
        {
            case "add":
            {
                Only(2);
                var name = NameArg();
                var role = ParseRole(p.Required("--role", "ROLE"));
                if (!passwordStdin) throw new UsageException("give the password on stdin with --password-stdin (never on the command line)");
                var password = Console.In.ReadLine() ?? throw new CommandFailedException("no password on stdin");
                var user = WithStore(p, (s, ct) => s.AddAsync(name, password.TrimEnd('\r'), role, districts, ct), ("user add", name));
                context.Out.WriteLine($"Added {user.Name}: {Describe(user)}");
                return ExitCodes.Ok;
            }
            case "list":
            {
                Only(1);
                var users = WithStore(p, (s, ct) => s.ListAsync(ct));
                foreach (var u in users) context.Out.WriteLine($"{u.Name,-24} {Describe(u)}{(u.Disabled ? ", disabled" : "")}");
                context.Out.WriteLine($"{users.Count} user(s)");
                return ExitCodes.Ok;
            }
            case "disable":
            {
                Only(2);
                var name = NameArg();
                WithStore(p, (s, ct) => s.DisableAsync(name, ct), ("user disable", name));
                context.Out.WriteLine($"Disabled {name}: its tokens no longer work");
                return ExitCodes.Ok;
            }
            case "role":
            {
                Only(3);
                var name = NameArg();
                var role = ParseRole(words.Count >= 3 ? words[2] : throw new UsageException("user role needs NAME ROLE"));
                var user = WithStore(p, (s, ct) => s.SetRoleAsync(name, role, districts, ct), ("user role", name));
                context.Out.WriteLine($"{user.Name} is now {Describe(user)}; older tokens no longer work");
                return ExitCodes.Ok;
            }
            default:
                throw new UsageException($"unknown subcommand '{action}' (add, list, disable, role)");
        }
    }

    private static IEnumerable<string> Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Role ParseRole(string text)
    {
        try { return AccountStore.ParseRole(text); }
        catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
    }

    private static string Describe(UserAccount u) =>
        $"{u.Role.ToString().ToLowerInvariant()} of {(u.Districts.Length == 0 ? "all of Peru" : "district " + string.Join(", ", u.Districts))}";

    /// <param name="audited">A change (command and user name): one audit row, written or refused, as the service keeps.</param>
    private static T WithStore<T>(CommandArgs p, Func<AccountStore, CancellationToken, Task<T>> work, (string Command, string Name)? audited = null) =>
        Task.Run(async () =>
        {
            await using var database = await CliDatabase.OpenAsync(p.Option("--db"), CancellationToken.None);
            await using var db = database.NewContext();
            try
            {
                var result = await work(new AccountStore(db), CancellationToken.None);
                if (audited is { } a) await CliAudit.AppendAsync(database, CliAudit.User(p), a.Command, "users", a.Name, 200, ("role", p.Option("--role")));
                return result;
            }
            catch (ArgumentException e)
            {
                var reason = e.Message.Split(" (Parameter")[0];
                if (audited is { } a) await CliAudit.AppendAsync(database, CliAudit.User(p), a.Command, "users", a.Name, 422, ("refused", reason));
                throw new CommandFailedException(reason, e);
            }
        }).GetAwaiter().GetResult();
}
