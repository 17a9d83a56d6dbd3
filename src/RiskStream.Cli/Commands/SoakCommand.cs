using System.CommandLine;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Cli.Soak;

namespace RiskStream.Cli.Commands;

/// <summary>
/// <c>riskstream soak [--for 30m] [--faults] [--seed S]</c>: the simulated park through a <c>riskstream run</c> child
/// on an embedded broker, faults at random, and a ledger at the end; exits 1 when anything was lost.
/// </summary>
internal static class SoakCommand
{
    public static Command Create()
    {
        var length = CommonOptions.Duration("--for", "how long to feed the park (default 30m)", TimeSpan.FromSeconds(10), TimeSpan.FromDays(7));
        var faults = new Option<bool>("--faults") { Description = "inject faults one after another in random order: broker down 10 s, 2 s RTT for 15 s, produce and commit errors, SIGTERM and SIGKILL of the pipeline (restarted), influxd restart (with --influx)" };
        var every = CommonOptions.Duration("--fault-every", "shortest time between two faults; the next comes within 2.5 times it (default 20s)", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        var kinds = new Option<string>("--fault-kinds") { Description = "only these kinds of fault, comma-separated: " + string.Join(", ", SoakRun.Kinds), HelpName = "KINDS" };
        var seed = CommonOptions.Int("--seed", "seed of the simulated park and of the faults", 1, 0, int.MaxValue);
        var influx = new Option<bool>("--influx") { Description = "also run the InfluxDB sink into a throw-away influxd (influxdb 1.x on the PATH), restarted as one of the faults; the ledger counts the readings it holds" };
        var command = new Command("soak", "Run the simulated park through a riskstream run child process for a while, with faults at random, and print a ledger: every reading scored or dead-lettered, every hazard at alarm level warned, memory and handles flat.") { length, faults, every, kinds, seed, influx };
        command.Options.Add(ConfigFlag.For("--registry").Single());
        command.SetAction((parse, _) => RunAsync(parse, parse.GetValue(length) ?? TimeSpan.FromMinutes(30), parse.GetValue(faults), parse.GetValue(every) ?? TimeSpan.FromSeconds(20), Kinds(parse.GetValue(kinds)), parse.GetValue(seed), parse.GetValue(influx)));
        return command;
    }

    private static string[]? Kinds(string? list)
    {
        if (list is null)
        {
            return null;
        }

        var kinds = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return kinds.FirstOrDefault(k => !SoakRun.Kinds.Contains(k)) is { } unknown
            ? throw new Core.Options.OptionsException($"--fault-kinds: '{unknown}' is not one of {string.Join(", ", SoakRun.Kinds)}")
            : kinds;
    }

    private static async Task<int> RunAsync(ParseResult parse, TimeSpan length, bool faults, TimeSpan faultEvery, string[]? faultKinds, int seed, bool influx)
    {
        using var host = ProcessHost.For(parse);
        using var soak = new SoakRun(host.Options, length, faults, faultEvery, faultKinds, seed, influx, host.LoggerFactory.CreateLogger("riskstream.soak"));
        var (ledger, ran) = await soak.RunAsync(host.Stopping).ConfigureAwait(false);
        Console.Out.WriteLine(ledger.Render(ran));
        return ledger.Clean(out _) ? 0 : 1;
    }
}
