using RiskStream.Kafka;
using RiskStream.Pipeline;
using RiskStream.Scenarios;
using RiskStream.Sensors.Windows;
using RiskStream.Simulation;

namespace RiskStream.Cli.Hosting;

/// <summary>Every option of the <c>riskstream</c> process, read and validated once at start.</summary>
internal sealed record RiskStreamOptions
{
    /// <summary>Kafka bootstrap servers; empty means start the embedded broker.</summary>
    public string BootstrapServers { get; init; } = "";

    public int EmbeddedBrokers { get; init; } = 1;

    /// <summary>librdkafka properties passed through (security.protocol, sasl.*, ssl.*); values never logged.</summary>
    public IReadOnlyDictionary<string, string> KafkaProperties { get; init; } = new Dictionary<string, string>();

    public int MaxBatchSize { get; init; } = 1024;

    public int MaxBufferedMessages { get; init; } = 8192;

    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public int FetchWaitMaxMs { get; init; } = 5;

    public double LingerMs { get; init; } = 2;

    public string RegistryPath { get; init; } = "config/park.json";

    /// <summary>Folder of scenario definitions (*.yaml).</summary>
    public string ScenariosPath { get; init; } = "config/scenarios";

    /// <summary>Maintenance windows file.</summary>
    public string SilencesPath { get; init; } = "config/silences.yaml";

    public PipelineOptions Pipeline { get; init; } = new();

    public SimulationOptions Simulation { get; init; } = new();

    public int MetricsPort { get; init; } = 9464;

    /// <summary>Root of the model registry (models/&lt;name&gt;/&lt;version&gt;, models/&lt;name&gt;/current).</summary>
    public string ModelsPath { get; init; } = "models";

    /// <summary>How often the running pipeline looks for a new current model.</summary>
    public TimeSpan ModelsWatchInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Folder of the Raman reference library (JCAMP-DX files).</summary>
    public string RamanLibrary { get; init; } = "models/raman/library";

    /// <summary>Options of the Raman library search.</summary>
    public Raman.Processing.IdentifyOptions Raman { get; init; } = new();

    public TimeSpan RestartMinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RestartMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public static RiskStreamOptions Read(Settings s)
    {
        var properties = s.Configuration.GetSection("RiskStream:Kafka:Properties").GetChildren()
            .Where(c => c.Value is not null)
            .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);
        var passwordFile = s.GetString("RiskStream:Kafka:SaslPasswordFile", "");
        if (passwordFile.Length > 0)
        {
            if (!File.Exists(passwordFile))
            {
                throw new OptionsException($"RiskStream:Kafka:SaslPasswordFile = '{passwordFile}': the file does not exist");
            }

            properties["sasl.password"] = File.ReadAllText(passwordFile).Trim();
        }

        var window = new WindowOptions
        {
            Length = s.GetDuration("RiskStream:Pipeline:WindowLength", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            Panes = s.GetInt("RiskStream:Pipeline:WindowPanes", 6, 1, 60),
            AllowedLateness = s.GetDuration("RiskStream:Pipeline:AllowedLateness", TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromHours(1)),
        };
        var pipeline = new PipelineOptions
        {
            GroupId = s.GetString("RiskStream:Pipeline:GroupId", "riskstream"),
            Lanes = s.GetInt("RiskStream:Pipeline:Lanes", Math.Clamp(Environment.ProcessorCount, 1, 4), 1, 64),
            Input = new Codecs.InputLimits
            {
                MaxReadingBytes = s.GetInt("RiskStream:Pipeline:MaxReadingBytes", 65536, 256, 4 * 1024 * 1024),
                MaxSpectrumBytes = s.GetInt("RiskStream:Pipeline:MaxSpectrumBytes", 1024 * 1024, 1024, 16 * 1024 * 1024),
                MaxFutureSkew = s.GetDuration("RiskStream:Pipeline:MaxFutureSkew", TimeSpan.FromHours(1), TimeSpan.Zero, TimeSpan.FromDays(1)),
            },
            DrainTimeout = s.GetDuration("RiskStream:Pipeline:DrainTimeout", TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromMinutes(10)),
            Window = window,
            StateRepublishInterval = s.GetDuration("RiskStream:Pipeline:StateRepublishInterval", TimeSpan.FromMinutes(10), TimeSpan.Zero, TimeSpan.FromDays(1)),
            StateRestoreTimeout = s.GetDuration("RiskStream:Pipeline:StateRestoreTimeout", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
        };
        var simulation = new SimulationOptions
        {
            Seed = s.GetInt("RiskStream:Simulation:Seed", 42, int.MinValue, int.MaxValue),
            RatePerSecond = s.GetDouble("RiskStream:Simulation:RatePerSecond", 90, 0.001, 2_000_000),
            Sites = s.GetInt("RiskStream:Simulation:Sites", 0, 0, 1_000_000),
            EventEvery = s.GetDuration("RiskStream:Simulation:EventEvery", TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            FirstHazardAfter = s.GetDuration("RiskStream:Simulation:FirstHazardAfter", TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.FromDays(1)),
            HazardShare = s.GetDouble("RiskStream:Simulation:HazardShare", 0.5, 0, 1),
            InspectionEvery = s.GetDuration("RiskStream:Simulation:InspectionEvery", TimeSpan.FromSeconds(20), TimeSpan.Zero, TimeSpan.FromDays(7)),
        };
        var options = new RiskStreamOptions
        {
            BootstrapServers = s.GetString("RiskStream:Kafka:BootstrapServers", ""),
            EmbeddedBrokers = s.GetInt("RiskStream:Kafka:EmbeddedBrokers", 1, 1, 9),
            KafkaProperties = properties,
            MaxBatchSize = s.GetInt("RiskStream:Kafka:MaxBatchSize", 1024, 1, 100_000),
            MaxBufferedMessages = s.GetInt("RiskStream:Kafka:MaxBufferedMessages", 8192, 1, 10_000_000),
            CommitInterval = s.GetDuration("RiskStream:Kafka:CommitInterval", TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5)),
            FetchWaitMaxMs = s.GetInt("RiskStream:Kafka:FetchWaitMaxMs", 5, 0, 10_000),
            LingerMs = s.GetDouble("RiskStream:Kafka:LingerMs", 2, 0, 5_000),
            RegistryPath = s.GetString("RiskStream:Registry:Path", DefaultConfigPath("config/park.json")),
            ScenariosPath = s.GetString("RiskStream:Scenarios:Path", DefaultConfigPath("config/scenarios")),
            SilencesPath = s.GetString("RiskStream:Scenarios:Silences", DefaultConfigPath("config/silences.yaml")),
            Pipeline = pipeline,
            Simulation = simulation,
            MetricsPort = s.GetInt("RiskStream:Metrics:Port", 9464, 0, 65535),
            ModelsPath = s.GetString("RiskStream:Models:Path", DefaultConfigPath("models")),
            ModelsWatchInterval = s.GetDuration("RiskStream:Models:WatchInterval", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            RamanLibrary = s.GetString("RiskStream:Raman:Library", DefaultConfigPath("models/raman/library")),
            Raman = new Raman.Processing.IdentifyOptions
            {
                UnknownBelow = s.GetDouble("RiskStream:Raman:UnknownBelow", 0.55, 0.05, 0.99),
                MaxShiftPoints = s.GetInt("RiskStream:Raman:MaxShiftPoints", 3, 0, 20),
                TopK = s.GetInt("RiskStream:Raman:TopK", 5, 1, 50),
            },
            RestartMinBackoff = s.GetDuration("RiskStream:Pipeline:RestartMinBackoff", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5)),
            RestartMaxBackoff = s.GetDuration("RiskStream:Pipeline:RestartMaxBackoff", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
        };
        try
        {
            pipeline.Validate();
            simulation.Validate();
        }
        catch (ArgumentException e)
        {
            throw new OptionsException(e.Message);
        }

        return options;
    }

    public ConsumerSettings Consumer(string bootstrap, string groupId) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = groupId,
        Properties = KafkaProperties,
        MaxBatchSize = MaxBatchSize,
        MaxBufferedMessages = MaxBufferedMessages,
        CommitInterval = CommitInterval,
        FetchWaitMaxMs = FetchWaitMaxMs,
    };

    public ProducerSettings Producer(string bootstrap) => new()
    {
        BootstrapServers = bootstrap,
        Properties = KafkaProperties,
        LingerMs = LingerMs,
    };

    /// <summary>A config file or folder beside the working directory, else the copy shipped beside the executable.</summary>
    private static string DefaultConfigPath(string relative) =>
        File.Exists(relative) || Directory.Exists(relative) ? relative : Path.Combine(AppContext.BaseDirectory, relative);
}

/// <summary>Every option key, its default and its meaning: the README's configuration table is checked against it.</summary>
internal static class OptionCatalog
{
    public static IReadOnlyList<(string Key, string Default, string Meaning)> All { get; } =
    [
        ("RiskStream:Kafka:BootstrapServers", "(empty: embedded broker)", "Kafka bootstrap servers; `--kafka`"),
        ("RiskStream:Kafka:EmbeddedBrokers", "1", "brokers of the embedded mock cluster (1-9); `--brokers`"),
        ("RiskStream:Kafka:Properties:<librdkafka key>", "(none)", "passed to every Kafka client unchanged: security.protocol, sasl.mechanism, sasl.username, ssl.ca.location, ..."),
        ("RiskStream:Kafka:SaslPasswordFile", "(none)", "file holding sasl.password (or set RiskStream__Kafka__Properties__sasl.password in the environment)"),
        ("RiskStream:Kafka:MaxBatchSize", "1024", "most messages per consumed batch (1-100000)"),
        ("RiskStream:Kafka:MaxBufferedMessages", "8192", "consumed, not yet processed messages above which partitions pause (1-10000000)"),
        ("RiskStream:Kafka:CommitInterval", "500ms", "how often completed offsets are committed (10ms-5m)"),
        ("RiskStream:Kafka:FetchWaitMaxMs", "5", "librdkafka fetch.wait.max.ms (0-10000); keep low on the embedded broker"),
        ("RiskStream:Kafka:LingerMs", "2", "producer linger.ms (0-5000): latency against batching"),
        ("RiskStream:Registry:Path", "config/park.json", "registry of jurisdictions, enterprises, sites, sensors, assistance agreements; `--registry`"),
        ("RiskStream:Scenarios:Path", "config/scenarios", "folder of scenario definitions (*.yaml); `--scenarios`"),
        ("RiskStream:Scenarios:Silences", "config/silences.yaml", "maintenance windows; `--silences`"),
        ("RiskStream:Pipeline:GroupId", "riskstream", "consumer group of the pipeline; `--group`"),
        ("RiskStream:Pipeline:Lanes", "min(cores, 4)", "parallel lanes, hashed by site (1-64); `--lanes`"),
        ("RiskStream:Pipeline:MaxReadingBytes", "65536", "largest reading accepted; larger is dead-lettered (256-4194304)"),
        ("RiskStream:Pipeline:MaxSpectrumBytes", "1048576", "largest spectrum message accepted; larger is dead-lettered (1024-16777216)"),
        ("RiskStream:Pipeline:MaxFutureSkew", "1h", "how far ahead of the clock a reading's ts may be (0-1d)"),
        ("RiskStream:Pipeline:WindowLength", "60s", "per-sensor sliding event-time window (1s-1h)"),
        ("RiskStream:Pipeline:WindowPanes", "6", "panes of the window; it slides one pane at a time (1-60)"),
        ("RiskStream:Pipeline:AllowedLateness", "30s", "how late a reading may be and still enter its window (0-1h, at most the window length)"),
        ("RiskStream:Pipeline:StateRepublishInterval", "10m", "per site, how often (event time) active warning state is written again to riskstream.warning-state (0 = never, up to 1d)"),
        ("RiskStream:Pipeline:StateRestoreTimeout", "30s", "longest a lane may take to restore a partition's warning state (1s-10m)"),
        ("RiskStream:Pipeline:DrainTimeout", "30s", "longest drain on shutdown before the consumer closes anyway (0-10m)"),
        ("RiskStream:Pipeline:RestartMinBackoff", "1s", "first back-off before a failed pipeline is restarted (10ms-5m)"),
        ("RiskStream:Pipeline:RestartMaxBackoff", "30s", "longest back-off between pipeline restarts (10ms-1h)"),
        ("RiskStream:Simulation:Seed", "42", "simulator seed; `--seed`"),
        ("RiskStream:Simulation:RatePerSecond", "90", "readings per second over the park; `--rate`"),
        ("RiskStream:Simulation:Sites", "0 (all)", "simulate only the first N sites; `--sites`"),
        ("RiskStream:Simulation:EventEvery", "45s", "mean time between injected hazards and faults (1s-7d)"),
        ("RiskStream:Simulation:FirstHazardAfter", "5s", "when the first hazard (a leak ramp) starts (0-1d)"),
        ("RiskStream:Simulation:HazardShare", "0.5", "share of injected events that are hazards (0-1)"),
        ("RiskStream:Simulation:InspectionEvery", "20s", "mean time between simulated Raman inspections, a spectrum on riskstream.spectra (0 = none, up to 7d)"),
        ("RiskStream:Metrics:Port", "9464", "port of /metrics and /healthz, 0 to disable; `--metrics-port`"),
        ("RiskStream:Models:Path", "models", "root of the model registry: <name>/<version>/{model.zip,card.json} and <name>/current"),
        ("RiskStream:Models:WatchInterval", "5s", "how often the running pipeline checks for a new current model (100ms-1h)"),
        ("RiskStream:Raman:Library", "models/raman/library", "folder of the Raman reference library (JCAMP-DX, one file per substance); `--library`"),
        ("RiskStream:Raman:UnknownBelow", "0.55", "noise-corrected hit-quality index below which a spectrum is reported unknown (0.05-0.99)"),
        ("RiskStream:Raman:MaxShiftPoints", "3", "largest wavenumber calibration shift tried, in 2 cm⁻¹ axis points either way (0-20)"),
        ("RiskStream:Raman:TopK", "5", "candidates reported per identification (1-50)"),
        ("RiskStream:Influx:Url", "(empty: no sink)", "InfluxDB to write readings, scores and warnings to; `--influx-url`"),
        ("RiskStream:Influx:Api", "v1", "`v1` (/write, InfluxDB 1.x) or `v2` (InfluxDB.Client: 2.x, 3.x, 1.8+); `--influx-api`"),
        ("RiskStream:Influx:Database", "riskstream", "v1 database; `--influx-db`"),
        ("RiskStream:Influx:RetentionPolicy", "(the database's default)", "v1 retention policy"),
        ("RiskStream:Influx:Bucket", "riskstream", "v2 bucket; `--influx-bucket`"),
        ("RiskStream:Influx:Org", "riskstream", "v2 organisation; `--influx-org`"),
        ("RiskStream:Influx:TokenFile", "(none)", "file holding the v2 token (or set RiskStream__Influx__Token in the environment; never read from riskstream.json)"),
        ("RiskStream:Influx:User", "(none)", "v1 user"),
        ("RiskStream:Influx:PasswordFile", "(none)", "file holding the v1 password (or set RiskStream__Influx__Password in the environment)"),
        ("RiskStream:Influx:Gzip", "true", "gzip write bodies"),
        ("RiskStream:Influx:Timeout", "10s", "one write's timeout (100ms-5m)"),
        ("RiskStream:Influx:GroupId", "riskstream-influx", "the sink's own consumer group: an outage becomes its lag"),
        ("RiskStream:Influx:MaxBatchesPerWrite", "8", "consumed batches (≤ 1024 messages each) per write (1-1000)"),
        ("RiskStream:Influx:FlushInterval", "1s", "longest a point waits for its write (10ms-5m)"),
        ("RiskStream:Influx:Downsample", "0s (off)", "at most one raw reading per sensor per interval (0-1h)"),
    ];
}
