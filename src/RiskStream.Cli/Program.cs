using RiskStream.Cli.Commands;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Registry;

namespace RiskStream.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CommandLine cli;
        try
        {
            cli = CommandLine.Parse(args);
        }
        catch (OptionsException e)
        {
            await Console.Error.WriteLineAsync($"riskstream: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        if (cli.Command is "help" or "--help" or "-h" || cli.Has("--help") || cli.Has("-h"))
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }

        // A stream processor: background (concurrent) gen-2 collections only, no blocking full ones while it runs.
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.SustainedLowLatency;
        using var host = new ProcessHost(cli);
        try
        {
            return cli.Command switch
            {
                "run" => await RunCommand.RunAsync(host).ConfigureAwait(false),
                "broker" => await BrokerCommand.RunAsync(host).ConfigureAwait(false),
                "simulate" => await SimulateCommand.RunAsync(host).ConfigureAwait(false),
                "bench" => await BenchCommand.RunAsync(host).ConfigureAwait(false),
                "acls" => AclsCommand.Run(host),
                "topics" => TopicsCommand.Run(host),
                "identify" => IdentifyCommand.Run(host),
                "library" => LibraryCommand.Run(host),
                "evaluate-raman" => EvaluateRamanCommand.Run(host),
                "dataset" => ModelCommands.Dataset(host),
                "train" => ModelCommands.Train(host),
                "evaluate" => ModelCommands.Evaluate(host),
                "models" => ModelCommands.Models(host),
                "sink" => await SinkCommand.RunAsync(host).ConfigureAwait(false),
                _ => Unknown(cli.Command),
            };
        }
        catch (Exception e) when (e is OptionsException or RegistryException or Scenarios.Definitions.ScenarioException or Sensors.Models.ModelRefusedException)
        {
            await Console.Error.WriteLineAsync($"riskstream: {e.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static int Unknown(string command)
    {
        Console.Error.WriteLine($"riskstream: unknown command '{command}'");
        Console.Error.WriteLine(CommandLine.Usage);
        return 2;
    }
}
