using Microsoft.Extensions.Configuration;
using RiskStream.Core.Options;
using RiskStream.Kafka;
using RiskStream.Pipeline;
using RiskStream.Raman.Processing;
using RiskStream.Simulation;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// Every option of the <c>riskstream</c> process, read and validated once at start from <c>riskstream.json</c>, the
/// environment (<c>RiskStream__Area__Key</c>) and the command line. Each section's options are declared once, beside
/// the record they set (<see cref="KafkaOptions.Declared"/>, <see cref="PipelineOptions.Declared"/>, ...); the
/// configuration reference (<c>docs/configuration.md</c>, <c>riskstream config</c>) is generated from them.
/// </summary>
internal sealed record RiskStreamOptions
{
    public KafkaOptions Kafka { get; init; } = new();

    public PipelineOptions Pipeline { get; init; } = new();

    public SimulationOptions Simulation { get; init; } = new();

    public InfluxSettings Influx { get; init; } = new();

    public string RegistryPath { get; init; } = DefaultConfigPath("config/park.json");

    /// <summary>Folder of scenario definitions (*.yaml).</summary>
    public string ScenariosPath { get; init; } = DefaultConfigPath("config/scenarios");

    /// <summary>Maintenance windows file.</summary>
    public string SilencesPath { get; init; } = DefaultConfigPath("config/silences.yaml");

    /// <summary>Root of the model registry (models/&lt;name&gt;/&lt;version&gt;, models/&lt;name&gt;/current).</summary>
    public string ModelsPath { get; init; } = DefaultConfigPath("models");

    /// <summary>How often the running pipeline looks for a new current model.</summary>
    public TimeSpan ModelsWatchInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The promotion gate: how much worse than the served model a candidate may be on each figure.</summary>
    public double PromoteMaxPrAucDrop { get; init; } = 0.005;

    public double PromoteMaxFalseWarningsRise { get; init; } = 0.25;

    public double PromoteMaxLeadDropSeconds { get; init; } = 2;

    /// <summary>Feature drift: the window of the population stability index, and the index above which a feature is said to drift.</summary>
    public TimeSpan DriftWindow { get; init; } = TimeSpan.FromDays(1);

    public double DriftWarnAbove { get; init; } = 0.2;

    /// <summary>Folder of the Raman reference library (JCAMP-DX files).</summary>
    public string RamanLibrary { get; init; } = DefaultConfigPath("models/raman/library");

    /// <summary>Options of the Raman library search.</summary>
    public IdentifyOptions Raman { get; init; } = new();

    public int MetricsPort { get; init; } = 9464;

    /// <summary>Port of the duty console (riskstream console, and the embedded run); 0: off.</summary>
    public int ConsolePort { get; init; } = 8088;

    /// <summary>Host name or address the console listens on.</summary>
    public string ConsoleHost { get; init; } = "localhost";

    /// <summary>The console's users file; empty in the embedded run: demo accounts are made and printed.</summary>
    public string ConsoleUsers { get; init; } = "";

    /// <summary>Console cookies only over HTTPS (browsers accept them from http://localhost too).</summary>
    public bool ConsoleSecureCookies { get; init; } = true;

    /// <summary>OpenID Connect provider of the console's single sign-on (its issuer URL); empty: local accounts only.</summary>
    public string ConsoleOidcAuthority { get; init; } = "";

    public string ConsoleOidcClientId { get; init; } = "riskstream-console";

    /// <summary>File with the client secret (or RiskStream__Console__OidcSecret in the environment).</summary>
    public string ConsoleOidcSecretFile { get; init; } = "";

    public string ConsoleOidcName { get; init; } = "single sign-on";

    public string ConsoleOidcPartyClaim { get; init; } = "riskstream_party";

    public string ConsoleOidcRoleClaim { get; init; } = "riskstream_role";

    /// <summary>The console's single sign-on as configured, or null; the secret read from the environment or its file.</summary>
    public DutyConsole.SingleSignOn? ConsoleSingleSignOn() => ConsoleOidcAuthority.Length == 0 ? null : new(
        ConsoleOidcAuthority, ConsoleOidcClientId, Secrets.Read("RiskStream__Console__OidcSecret", "RiskStream:Console:OidcSecretFile", ConsoleOidcSecretFile), ConsoleOidcName, ConsoleOidcPartyClaim, ConsoleOidcRoleClaim,
        RequireHttps: !Uri.TryCreate(ConsoleOidcAuthority, UriKind.Absolute, out var u) || !u.IsLoopback);

    /// <summary>Readiness fails while the group's lag is above this many messages.</summary>
    public int HealthMaxLag { get; init; } = 200_000;

    /// <summary>Readiness fails when there is lag and nothing was consumed for this long.</summary>
    public TimeSpan HealthStallAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Liveness fails when a lane has not taken up a batch or a tick for this long.</summary>
    public TimeSpan HealthLiveTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public string BootstrapServers => Kafka.BootstrapServers;

    public int EmbeddedBrokers => Kafka.EmbeddedBrokers;

    public IReadOnlyDictionary<string, string> KafkaProperties => Kafka.Properties;

    /// <summary>The sections of the process's own options (the others are declared beside their records).</summary>
    public static IReadOnlyList<OptionSet<RiskStreamOptions>> Sections { get; } =
    [
        new("RiskStream:Registry", new RiskStreamOptions(), [Path("Path", o => o.RegistryPath, (o, v) => o with { RegistryPath = v }, "registry of jurisdictions, enterprises, sites, sensors, assistance agreements", "--registry", "config/park.json")]),
        new("RiskStream:Scenarios", new RiskStreamOptions(),
        [
            Path("Path", o => o.ScenariosPath, (o, v) => o with { ScenariosPath = v }, "folder of scenario definitions (*.yaml)", "--scenarios", "config/scenarios"),
            Path("Silences", o => o.SilencesPath, (o, v) => o with { SilencesPath = v }, "maintenance windows", "--silences", "config/silences.yaml"),
        ]),
        new("RiskStream:Models", new RiskStreamOptions(),
        [
            Path("Path", o => o.ModelsPath, (o, v) => o with { ModelsPath = v }, "root of the model registry: <name>/<version>/{model.zip,card.json} and <name>/current", "--models", "models"),
            Declare.Duration<RiskStreamOptions>("WatchInterval", o => o.ModelsWatchInterval, (o, v) => o with { ModelsWatchInterval = v }, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), "how often the running pipeline checks for a new current model"),
            Declare.Double<RiskStreamOptions>("PromoteMaxPrAucDrop", o => o.PromoteMaxPrAucDrop, (o, v) => o with { PromoteMaxPrAucDrop = v }, 0, 1, "models promote: refuse a candidate whose PR-AUC is lower than the served model's by more than this", "--max-pr-auc-drop"),
            Declare.Double<RiskStreamOptions>("PromoteMaxFalseWarningsRise", o => o.PromoteMaxFalseWarningsRise, (o, v) => o with { PromoteMaxFalseWarningsRise = v }, 0, 1000, "models promote: refuse a candidate with more false hazard warnings per 1,000 sensor-hours than the served model's plus this", "--max-false-warnings-rise"),
            Declare.Double<RiskStreamOptions>("PromoteMaxLeadDropSeconds", o => o.PromoteMaxLeadDropSeconds, (o, v) => o with { PromoteMaxLeadDropSeconds = v }, 0, 3600, "models promote: refuse a candidate whose median lead time on leak ramps is shorter than the served model's by more than this many seconds", "--max-lead-drop"),
            Declare.Duration<RiskStreamOptions>("DriftWindow", o => o.DriftWindow, (o, v) => o with { DriftWindow = v }, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1), "window over which the served risk model's feature drift (population stability index against its training distribution) is computed; a day, as the training data spans one: a shorter window drifts with the daily cycle alone"),
            Declare.Double<RiskStreamOptions>("DriftWarnAbove", o => o.DriftWarnAbove, (o, v) => o with { DriftWarnAbove = v }, 0.01, 10, "a feature whose stability index is above this is logged as drifting (0.1 to 0.25 is the usual 'moderate shift' band; above 0.25 'significant')"),
        ]),
        new("RiskStream:Raman", new RiskStreamOptions(),
        [
            Path("Library", o => o.RamanLibrary, (o, v) => o with { RamanLibrary = v }, "folder of the Raman reference library (JCAMP-DX, one file per substance)", "--library", "models/raman/library"),
            .. IdentifyOptions.Declared.Select(spec => Declare.Nested<RiskStreamOptions, IdentifyOptions>(spec, o => o.Raman, (o, v) => o with { Raman = v })),
        ]),
        new("RiskStream:Metrics", new RiskStreamOptions(), [Declare.Int<RiskStreamOptions>("Port", o => o.MetricsPort, (o, v) => o with { MetricsPort = v }, 0, 65535, "port of /metrics and /healthz/{live,ready}, 0 to disable", "--metrics-port")]),
        new("RiskStream:Console", new RiskStreamOptions(),
        [
            Declare.Int<RiskStreamOptions>("Port", o => o.ConsolePort, (o, v) => o with { ConsolePort = v }, 0, 65535, "port of the duty console (riskstream console; the embedded run starts it too), 0 to disable", "--console-port"),
            Declare.Text<RiskStreamOptions>("Host", o => o.ConsoleHost, (o, v) => o with { ConsoleHost = v }, "a host name or IP address", "where the console listens: localhost, or 0.0.0.0 behind a TLS ingress", "--console-host", v => v.Length is > 0 and <= 253 && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':')),
            Declare.Text<RiskStreamOptions>("Users", o => o.ConsoleUsers, (o, v) => o with { ConsoleUsers = v }, "a path", "the console's users file (riskstream console users add); empty in the embedded run: demo accounts are made and printed", "--users", v => v.IndexOf('\0') < 0),
            Declare.Bool<RiskStreamOptions>("SecureCookies", o => o.ConsoleSecureCookies, (o, v) => o with { ConsoleSecureCookies = v }, "send the console's cookies over HTTPS only (browsers accept them from http://localhost as well)"),
            Declare.Text<RiskStreamOptions>("OidcAuthority", o => o.ConsoleOidcAuthority, (o, v) => o with { ConsoleOidcAuthority = v }, "an https URL (http only on this machine)", "OpenID Connect provider (issuer URL) for single sign-on beside the local accounts; empty: local accounts only", valid: v => v.Length == 0 || (Uri.TryCreate(v, UriKind.Absolute, out var u) && (u.Scheme == "https" || (u.Scheme == "http" && u.IsLoopback))), shownDefault: "(none)"),
            Declare.Text<RiskStreamOptions>("OidcClientId", o => o.ConsoleOidcClientId, (o, v) => o with { ConsoleOidcClientId = v }, "1 to 256 characters", "the console's client id at the provider", valid: v => v.Length is > 0 and <= 256 && !v.Any(char.IsControl)),
            Declare.Text<RiskStreamOptions>("OidcSecretFile", o => o.ConsoleOidcSecretFile, (o, v) => o with { ConsoleOidcSecretFile = v }, "a file path", "file holding the client secret (or set RiskStream__Console__OidcSecret in the environment; never read from riskstream.json)", shownDefault: "(none)"),
            Declare.Text<RiskStreamOptions>("OidcName", o => o.ConsoleOidcName, (o, v) => o with { ConsoleOidcName = v }, "1 to 64 characters", "what the sign-in page calls the provider", valid: v => v.Length is > 0 and <= 64 && !v.Any(char.IsControl)),
            Declare.Text<RiskStreamOptions>("OidcPartyClaim", o => o.ConsoleOidcPartyClaim, (o, v) => o with { ConsoleOidcPartyClaim = v }, "a claim name", "ID-token claim holding the user's party (ent:<enterprise> or gov:<jurisdiction>); a user without a served party is refused", valid: ClaimName),
            Declare.Text<RiskStreamOptions>("OidcRoleClaim", o => o.ConsoleOidcRoleClaim, (o, v) => o with { ConsoleOidcRoleClaim = v }, "a claim name", "ID-token claim holding the role: operator answers warnings, any other value only sees them", valid: ClaimName),
        ]),
        new("RiskStream:Health", new RiskStreamOptions(),
        [
            Declare.Int<RiskStreamOptions>("MaxLag", o => o.HealthMaxLag, (o, v) => o with { HealthMaxLag = v }, 1, int.MaxValue, "/healthz/ready fails while the consumer group lags by more messages than this"),
            Declare.Duration<RiskStreamOptions>("StallAfter", o => o.HealthStallAfter, (o, v) => o with { HealthStallAfter = v }, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1), "/healthz/ready fails when there is lag and nothing was consumed for this long"),
            Declare.Duration<RiskStreamOptions>("LiveTimeout", o => o.HealthLiveTimeout, (o, v) => o with { HealthLiveTimeout = v }, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1), "/healthz/live fails when a lane has not taken up a batch or a tick (one a second) for this long: the process is wedged"),
        ]),
    ];

    private static bool ClaimName(string v) => v.Length is > 0 and <= 128 && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '/');

    /// <summary>Every option of the process: key, default, what it accepts, meaning and flag.</summary>
    public static IEnumerable<OptionRow> Catalog =>
        KafkaOptions.Declared.Rows()
            .Concat(Sections.SelectMany(s => s.Rows()))
            .Concat(PipelineOptions.Declared.Rows())
            .Concat(SimulationOptions.Declared.Rows())
            .Concat(InfluxSettings.Declared.Rows());

    /// <summary>Reads every section; throws <see cref="OptionsException"/> naming the first bad key.</summary>
    public static RiskStreamOptions Read(IConfiguration configuration)
    {
        var options = new RiskStreamOptions
        {
            Kafka = KafkaOptions.Bind(configuration),
            Pipeline = PipelineOptions.Declared.Bind(configuration),
            Simulation = SimulationOptions.Declared.Bind(configuration),
            Influx = InfluxSettings.Declared.Bind(configuration),
        };

        foreach (var section in Sections)
        {
            options = section.Bind(configuration, options);
        }

        var unknown = configuration.GetSection("RiskStream").GetChildren()
            .Select(c => c.Key)
            .FirstOrDefault(k => !KnownSections.Contains(k, StringComparer.OrdinalIgnoreCase));
        return unknown is null ? options : throw new OptionsException($"RiskStream:{unknown} is not a configuration section (known: {string.Join(", ", KnownSections)})");
    }

    private static readonly string[] KnownSections = ["Kafka", "Pipeline", "Simulation", "Influx", "Registry", "Scenarios", "Models", "Raman", "Metrics", "Health", "Console"];

    public ConsumerSettings Consumer(string bootstrap, string groupId) => Kafka.Consumer(bootstrap, groupId);

    public ProducerSettings Producer(string bootstrap) => Kafka.Producer(bootstrap);

    private static OptionSpec<RiskStreamOptions> Path(string name, Func<RiskStreamOptions, string> get, Func<RiskStreamOptions, string, RiskStreamOptions> set, string description, string flag, string shown) =>
        Declare.Text(name, get, set, "a path", description, flag, v => v.IndexOfAny(['\0']) < 0, shownDefault: shown);

    /// <summary>A config file or folder beside the working directory, else the copy shipped beside the executable.</summary>
    private static string DefaultConfigPath(string relative) =>
        File.Exists(relative) || Directory.Exists(relative) ? relative : System.IO.Path.Combine(AppContext.BaseDirectory, relative);
}
