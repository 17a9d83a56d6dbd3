using System.CommandLine;
using System.CommandLine.Invocation;
using RiskStream.Cli.Commands;
using RiskStream.Core.Options;
using RiskStream.Core.Registry;

namespace RiskStream.Cli;

internal static class Program
{
    /// <summary>Exit code of a usage or configuration error: a bad flag, key, file or registry.</summary>
    private const int UsageError = 2;

    /// <summary>Exit code of a Kafka error that restarting cannot cure (permissions, credentials, message size).</summary>
    public const int PermanentKafkaError = 3;

    /// <summary>Exit code of a run that never reached its Kafka cluster.</summary>
    public const int KafkaUnreachable = 4;

    /// <summary>The InfluxDB sink cannot work as configured: its credentials are refused, or its database is missing and may not be created.</summary>
    public const int InfluxRefused = 5;

    public static async Task<int> Main(string[] args)
    {
        var parse = RiskStreamCommand.Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // The parser's own report: each error, and the commands or options a typo may have meant.
            new ParseErrorAction { ShowHelp = false, ShowTypoCorrections = true }.Invoke(parse);
            await Console.Error.WriteLineAsync($"riskstream: see '{string.Join(' ', ["riskstream", .. CommandPath(parse), "--help"])}'").ConfigureAwait(false);
            return UsageError;
        }

        // A stream processor: background (concurrent) gen-2 collections only, no blocking full ones while it runs.
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.SustainedLowLatency;
        try
        {
            // Signals are the host's (a drain on SIGTERM), not the parser's.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OptionsException or RegistryException or Scenarios.Definitions.ScenarioException or Sensors.Models.ModelRefusedException)
        {
            await Console.Error.WriteLineAsync($"riskstream: {e.Message}").ConfigureAwait(false);
            return UsageError;
        }
        catch (Kafka.PermanentKafkaException e)
        {
            await Console.Error.WriteLineAsync($"riskstream: stopped, this does not heal by restarting: {e.Message}").ConfigureAwait(false);
            return PermanentKafkaError;
        }
        catch (Influx.InfluxSetupException e)
        {
            await Console.Error.WriteLineAsync($"riskstream: the InfluxDB sink cannot start: {e.Message}").ConfigureAwait(false);
            return InfluxRefused;
        }
        catch (Hosting.KafkaUnreachableException e)
        {
            await Console.Error.WriteLineAsync($"riskstream: {e.Message}").ConfigureAwait(false);
            return KafkaUnreachable;
        }
    }

    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        return names;
    }
}
