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
        var faults = new Option<bool>("--faults") { Description = "inject faults at random every 20-50 s: broker down 10 s, 2 s RTT for 15 s, produce and commit errors, SIGTERM and SIGKILL of the pipeline (restarted)" };
        var seed = CommonOptions.Int("--seed", "seed of the simulated park and of the faults", 1, 0, int.MaxValue);
        var command = new Command("soak", "Run the simulated park through a riskstream run child process for a while, with faults at random, and print a ledger: every reading scored or dead-lettered, every hazard at alarm level warned, memory and handles flat.") { length, faults, seed };
        command.Options.Add(ConfigFlag.For("--registry").Single());
        command.SetAction((parse, _) => RunAsync(parse, parse.GetValue(length) ?? TimeSpan.FromMinutes(30), parse.GetValue(faults), parse.GetValue(seed)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, TimeSpan length, bool faults, int seed)
    {
        using var host = ProcessHost.For(parse);
        var (ledger, ran) = await new SoakRun(host.Options, length, faults, seed, host.LoggerFactory.CreateLogger("riskstream.soak")).RunAsync(host.Stopping).ConfigureAwait(false);
        Console.Out.WriteLine(ledger.Render(ran));
        return ledger.Clean(out _) ? 0 : 1;
    }
}
