using System.CommandLine;
using System.CommandLine.Help;

namespace RiskStream.Cli.Commands;

/// <summary>The <c>riskstream</c> command line: every command, registered once here.</summary>
internal static class RiskStreamCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("riskstream: real-time risk early warning for safety production. Configuration: riskstream.json, environment variables RiskStream__Area__Key, then the flags (see 'riskstream config').")
        {
            RunCommand.Create(),
            BrokerCommand.Create(),
            SimulateCommand.Create(),
            SimulateHistoryCommand.Create(),
            SinkCommand.Create(),
            KpisCommand.Create(),
            ReportCommand.Create(),
            BenchCommand.Create(),
            AclsCommand.Create(),
            TopicsCommand.Create(),
            IdentifyCommand.Create(),
            LibraryCommand.Create(),
            EvaluateRamanCommand.Create(),
            DatasetCommand.Create(),
            TrainCommand.Create(),
            EvaluateCommand.Create(),
            ModelsCommand.Create(),
            ConfigCommand.Create(),
            FuzzCommand.Create(),
            SoakCommand.Create(),
            ConsoleCommand.Create(),
        };

        // Without a command: the help, as for --help.
        root.SetAction(parse => new HelpAction().Invoke(parse));
        return root;
    }
}
