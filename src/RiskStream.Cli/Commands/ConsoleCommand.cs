using System.CommandLine;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Contracts;
using RiskStream.Core.Options;
using RiskStream.Core.Registry;
using RiskStream.DutyConsole;
using RiskStream.Scenarios.Definitions;

namespace RiskStream.Cli.Commands;

/// <summary>
/// <c>riskstream console --kafka B --users FILE</c>: the duty console, a gateway between people and their parties'
/// topics; <c>riskstream console users add</c> writes its users file. The embedded <c>run</c> starts it too, with
/// demo accounts.
/// </summary>
internal static class ConsoleCommand
{
    /// <summary>Where a new user's password is read from (else the first line of stdin); never a flag, so it stays out of shell history.</summary>
    public const string PasswordVariable = "RISKSTREAM_CONSOLE_PASSWORD";

    public static Command Create()
    {
        var serve = new Command("console", "The duty console: each government department and enterprise sees its own warnings in a browser and answers them as its role allows.") { CommonOptions.For() };
        foreach (var flag in ConfigFlag.For("--kafka", "--registry", "--console-port", "--console-host", "--users"))
        {
            serve.Options.Add(flag);
        }

        serve.SetAction((parse, _) => ServeAsync(parse));
        var user = new Option<string>("--user") { Description = "user name (a-z, 0-9, '.', '-', '_')", Required = true };
        var party = new Option<string>("--party") { Description = "the user's party: ent:<enterprise> or gov:<jurisdiction> of the registry", Required = true };
        var name = new Option<string>("--name") { Description = "the person's name, shown in the warning's audit trail", Required = true };
        var role = new Option<string>("--role") { Description = "operator (answers warnings) or viewer (sees them)", DefaultValueFactory = _ => "operator" };
        var add = new Command("add", $"Add (or replace) a user in the users file; the password comes from ${PasswordVariable}, else the first line of stdin (at least 12 characters).") { user, party, name, role };
        foreach (var flag in ConfigFlag.For("--users", "--registry"))
        {
            add.Options.Add(flag);
        }

        add.SetAction(parse => AddUser(parse, parse.GetValue(user)!, parse.GetValue(party)!, parse.GetValue(name)!, parse.GetValue(role)!));
        serve.Subcommands.Add(new Command("users", "Manage the console's local accounts.") { add });
        return serve;
    }

    private static async Task<int> ServeAsync(ParseResult parse)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        if (options.BootstrapServers.Length == 0 || options.ConsoleUsers.Length == 0 || options.ConsolePort == 0)
        {
            throw new OptionsException("riskstream console needs --kafka, --users and a --console-port (the embedded demo: riskstream run)");
        }

        var registry = ParkRegistry.Load(options.RegistryPath);
        var users = UserStore.Load(options.ConsoleUsers);
        var console = Start(host, registry, users, options.BootstrapServers, demo: false, out var feeds);
        using var _ = feeds; // disposed after the server (declared first, disposed last)
        await using var server = console;
        await console.StartAsync(host.Stopping).ConfigureAwait(false);
        host.Log.LogInformation("Duty console at {Address} for {Users} users", console.Address, users.All.Count);
        await Task.Delay(Timeout.Infinite, host.Stopping).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The console for every party of the registry (each user sees its own).</summary>
    public static ConsoleServer Start(ProcessHost host, ParkRegistry registry, UserStore users, string bootstrap, bool demo, out ConsoleFeeds feeds)
    {
        var options = host.Options;
        var scenarios = ScenarioLoader.LoadFolder(options.ScenariosPath);
        var board = new WarningBoard(bootstrap, options.KafkaProperties, registry.Parties, host.LoggerFactory.CreateLogger("riskstream.console.board"));
        var evidence = new EvidenceFeed(bootstrap, options.KafkaProperties, registry, host.LoggerFactory.CreateLogger("riskstream.console.evidence"));
        var producer = new ProducerBuilder<byte[]?, byte[]>(options.Producer(bootstrap).ToConfig()).Build();
        feeds = new ConsoleFeeds(board, evidence, producer);
        // The embedded demo is plain HTTP on this machine; a deployment serves it behind TLS with secure cookies.
        var settings = new ConsoleSettings($"http://{options.ConsoleHost}:{options.ConsolePort}", options.ConsoleSecureCookies && !demo, SingleSignOn: options.ConsoleSingleSignOn());
        return new ConsoleServer(settings, board, users, new AnswerSender(producer), host.LoggerFactory, new ConsoleSources(registry, scenarios, evidence));
    }

    /// <summary>Demo accounts for the embedded run: an operator for every party, with one password per run, printed.</summary>
    public static (UserStore Users, string Password) DemoUsers(ParkRegistry registry)
    {
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var hash = PasswordHash.Hash(password, 100_000);
        var users = registry.Jurisdictions.Values.Select(j => new ConsoleUser($"gov-{j.Id.ToLowerInvariant()}", $"{j.Name} duty officer", new Party(PartyType.Government, j.Id), ConsoleRole.Operator, hash))
            .Concat(registry.Enterprises.Values.Select(e => new ConsoleUser($"ent-{e.Id.ToLowerInvariant()}", $"{e.Name} safety manager", new Party(PartyType.Enterprise, e.Id), ConsoleRole.Operator, hash)));
        return (new UserStore(users), password);
    }

    private static int AddUser(ParseResult parse, string name, string partyText, string display, string roleText)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        if (options.ConsoleUsers.Length == 0)
        {
            throw new OptionsException("riskstream console users add needs --users FILE");
        }

        var registry = ParkRegistry.Load(options.RegistryPath);
        var party = UserStore.ParseParty(partyText);
        if (party is null || (party.Type == PartyType.Government ? !registry.Jurisdictions.ContainsKey(party.Id) : !registry.Enterprises.ContainsKey(party.Id)))
        {
            throw new OptionsException($"--party '{partyText}' is not ent:<enterprise> or gov:<jurisdiction> of the registry");
        }

        if (!WireNames.TryParseWire<ConsoleRole>(roleText, out var role))
        {
            throw new OptionsException($"--role '{roleText}' is neither operator nor viewer");
        }

        if (!UserStore.ValidName(name) || display.Length is 0 or > 128 || display.Any(char.IsControl))
        {
            throw new OptionsException("--user may hold a-z, 0-9, '.', '-', '_' (1 to 64); --name 1 to 128 characters without control characters");
        }

        var password = Environment.GetEnvironmentVariable(PasswordVariable) ?? Console.In.ReadLine() ?? "";
        if (password.Length < 12)
        {
            throw new OptionsException($"the password (from ${PasswordVariable} or stdin) must have at least 12 characters");
        }

        var users = File.Exists(options.ConsoleUsers) ? UserStore.Load(options.ConsoleUsers) : new UserStore([]);
        users.Add(new ConsoleUser(name, display, party, role, PasswordHash.Hash(password)));
        users.Save(options.ConsoleUsers);
        Console.Out.WriteLine($"{name} ({party.Address()}, {role.Wire()}) saved to {options.ConsoleUsers}");
        return 0;
    }
}

/// <summary>What a console reads and writes Kafka with; disposed after the server.</summary>
internal sealed record ConsoleFeeds(WarningBoard Board, EvidenceFeed Evidence, IProducer<byte[]?, byte[]> Producer) : IDisposable
{
    public void Dispose()
    {
        Board.Dispose();
        Evidence.Dispose();
        Producer.Dispose();
    }
}
