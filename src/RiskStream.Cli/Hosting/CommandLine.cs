using RiskStream.Core;
namespace RiskStream.Cli.Hosting;

/// <summary>A parsed command line: the command, its flags mapped onto configuration keys, and its switches.</summary>
internal sealed record CommandLine(
    string Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyDictionary<string, string> Values,
    IReadOnlySet<string> Switches,
    TimeSpan? For)
{
    private static readonly Dictionary<string, string> FlagKeys = new(StringComparer.Ordinal)
    {
        ["--kafka"] = "RiskStream:Kafka:BootstrapServers",
        ["--brokers"] = "RiskStream:Kafka:EmbeddedBrokers",
        ["--registry"] = "RiskStream:Registry:Path",
        ["--scenarios"] = "RiskStream:Scenarios:Path",
        ["--silences"] = "RiskStream:Scenarios:Silences",
        ["--group"] = "RiskStream:Pipeline:GroupId",
        ["--lanes"] = "RiskStream:Pipeline:Lanes",
        ["--metrics-port"] = "RiskStream:Metrics:Port",
        ["--rate"] = "RiskStream:Simulation:RatePerSecond",
        ["--sites"] = "RiskStream:Simulation:Sites",
        ["--seed"] = "RiskStream:Simulation:Seed",
        ["--influx-url"] = "RiskStream:Influx:Url",
        ["--influx-api"] = "RiskStream:Influx:Api",
        ["--influx-db"] = "RiskStream:Influx:Database",
        ["--influx-bucket"] = "RiskStream:Influx:Bucket",
        ["--influx-org"] = "RiskStream:Influx:Org",
        ["--library"] = "RiskStream:Raman:Library",
    };

    private static readonly HashSet<string> SwitchNames = ["--json", "--simulate", "--help", "-h", "--replace", "--use"];

    private static readonly HashSet<string> ValueFlags = ["--for", "--duration", "--sensors", "--latency-rate", "--only", "--partitions", "--plot", "--trials", "--out", "--hours", "--data", "--model", "--anomaly", "--threshold"];


    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return new CommandLine("help", [], new Dictionary<string, string>(), new Dictionary<string, string>(), new HashSet<string>(), null);
        }

        var config = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var switches = new HashSet<string>(StringComparer.Ordinal);
        var positional = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var a = args[i];
            string? inline = null;
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))
            {
                inline = a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..];
                a = a[..a.IndexOf('=', StringComparison.Ordinal)];
            }

            if (SwitchNames.Contains(a))
            {
                switches.Add(a);
            }
            else if (FlagKeys.TryGetValue(a, out var key) || ValueFlags.Contains(a))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new OptionsException($"{a} needs a value"));
                if (key is not null)
                {
                    config[key] = value;
                }
                else
                {
                    values[a] = value;
                }
            }
            else if (a.StartsWith('-'))
            {
                throw new OptionsException($"unknown option {a} (see 'riskstream help')");
            }
            else
            {
                positional.Add(a);
            }
        }

        TimeSpan? duration = null;
        if (values.TryGetValue("--for", out var f) || values.TryGetValue("--duration", out f))
        {
            duration = Durations.TryParse(f, out var d) && d > TimeSpan.Zero ? d : throw new OptionsException($"--for '{f}': expected a duration such as 60s or 5m");
        }

        return new CommandLine(args[0], positional, config, values, switches, duration);
    }

    public bool Has(string name) => Switches.Contains(name);

    /// <summary>A command's own flag (not a configuration key), such as bench's <c>--sensors</c>.</summary>
    public string? Value(string flag) => Values.TryGetValue(flag, out var v) ? v : null;

    public const string Usage = """
        riskstream — real-time risk early warning for safety production

        usage: riskstream <command> [options]

        commands:
          run        score readings and raise warnings. Without --kafka: embedded broker + park simulator.
                     [--kafka BOOTSTRAP] [--simulate] [--for DURATION] [--json] [--metrics-port N]
                     [--registry FILE] [--scenarios DIR] [--silences FILE] [--group ID] [--lanes N]
                     [--rate N] [--sites N] [--seed N]
                     [--influx-url URL --influx-api v1|v2 (--influx-db NAME | --influx-bucket NAME --influx-org NAME)]
          sink       sink influx: the InfluxDB sink alone, its own consumer group. --kafka BOOTSTRAP --influx-url URL ...
          broker     run the embedded (mock) Kafka broker for other processes; prints its bootstrap address
                     first, runs until interrupted or stdin closes. [--brokers N]
          simulate   publish simulated park readings. --kafka BOOTSTRAP [--rate N] [--sites N] [--for DURATION] [--seed N]
          bench      end-to-end throughput, latency and memory on the embedded broker. [--json] [--duration 10s]
                     [--sensors 100000] [--latency-rate 20000] [--only throughput|latency|memory|spectra]
          acls       print the kafka-acls command lines that let each government department and enterprise read
                     only its own warning and CAP topics and write only its own acknowledgement topic. [--registry FILE]
          topics     print the kafka-topics command lines that create every topic for the registry, one
                     partition count for all, the warning state compacted. [--partitions 12] [--registry FILE]
          identify   identify a Raman spectrum file (JCAMP-DX, spectrum JSON or two columns). FILE [--library DIR] [--json]
                     [--plot OUT.png]: raw spectrum and baseline, preprocessed spectrum over the best references
          library    the Raman reference library. list [--json] | add FILE [--replace]; both [--library DIR]
          evaluate-raman
                     accuracy of the library search and of the ML.NET classifier on simulated spectra (SNR 20 and 5,
                     mixtures, substances not in the library), and their speed. [--library DIR] [--trials N] [--json]
          dataset    labelled feature rows from the simulator's ground truth, as CSV. --out FILE [--hours 2] [--seed N]
          train      train risk|anomaly --data FILE --out models/<name>/<version> [--seed N] [--use]: model.zip + card.json
          evaluate   a risk model on a dataset: PR-AUC, ROC-AUC, precision/recall, confusion, false alarms per 1,000
                     sensor-hours, lead time before the second-level alarm, faults seen as sensor health.
                     --model DIR --data FILE [--anomaly DIR] [--json] [--plot DIR]
          models     list | use NAME VERSION | shadow risk VERSION|off: the model registry (RiskStream:Models:Path), the
                     served versions, a candidate scored beside the served risk model
          help       this text

        Configuration: riskstream.json, environment variables RiskStream__Area__Key, then these flags (README).
        """;
}
