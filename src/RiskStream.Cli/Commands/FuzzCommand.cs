using System.CommandLine;
using System.Globalization;
using RiskStream.Cli.Fuzzing;
using RiskStream.Cli.Hosting;

namespace RiskStream.Cli.Commands;

/// <summary>
/// <c>riskstream fuzz [--cases N] [--seed S] [--target NAME] [--findings DIR]</c>: every decoder and loader against
/// mutated and random inputs; exits 1 when any case crashed or allocated beyond its bound.
/// </summary>
internal static class FuzzCommand
{
    public static Command Create()
    {
        var cases = CommonOptions.Int("--cases", "cases per target (the long run: 1000000)", 20_000, 1, 100_000_000);
        var seed = CommonOptions.Int("--seed", "seed of the mutations (the same seed, the same cases)", 1, 0, int.MaxValue);
        var target = new Option<string>("--target") { Description = "one target only: reading, spectrum, acknowledgement, jcamp, spectrum-file, scenario, silences, registry", HelpName = "NAME" };
        var findings = new Option<string>("--findings") { Description = "keep the inputs that crashed (and their stack traces) in this folder", HelpName = "DIR" };
        var command = new Command("fuzz", "Fuzz every decoder and loader with structured mutations of valid documents and raw bytes: each case must be accepted or refused with a reason, never crash.") { cases, seed, target, findings };
        command.Options.Add(ConfigFlag.For("--registry").Single());
        command.SetAction(parse => Run(parse, parse.GetValue(cases), parse.GetValue(seed), parse.GetValue(target), parse.GetValue(findings)));
        return command;
    }

    private static int Run(ParseResult parse, int cases, int seed, string? only, string? findings)
    {
        using var host = ProcessHost.For(parse);
        var targets = FuzzTargets.All(host.Options).Where(t => only is null || t.Name == only).ToList();
        if (targets.Count == 0)
        {
            throw new Core.Options.OptionsException($"--target '{only}': no such target");
        }

        var failed = false;
        Console.Out.WriteLine($"{"target",-16} {"cases",10} {"accepted",9} {"refused",9} {"crashes",8} {"over-alloc",10} {"max alloc",10} {"cases/s",9}  top reasons");
        foreach (var t in targets)
        {
            var r = FuzzRunner.Run(t, cases, seed, findings);
            failed |= r.Crashes.Count > 0 || r.OverAllocation > 0;
            var top = string.Join(", ", r.Reasons.OrderByDescending(kv => kv.Value).Take(4).Select(kv => $"{kv.Key} {kv.Value}"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Target,-16} {r.Cases,10:N0} {r.Accepted,9:N0} {r.Refused,9:N0} {r.Crashes.Count,8:N0} {r.OverAllocation,10:N0} {r.MaxAllocatedBytes / 1024.0,8:F0}KB {r.Cases / Math.Max(r.Seconds, 1e-9),9:N0}  {top}"));
            foreach (var crash in r.Crashes.Distinct().Take(5))
            {
                Console.Out.WriteLine($"  crash: {crash}");
            }
        }

        return failed ? 1 : 0;
    }
}
