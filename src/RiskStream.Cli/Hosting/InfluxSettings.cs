using Microsoft.Extensions.Configuration;
using RiskStream.Core.Options;
using RiskStream.Influx;

namespace RiskStream.Cli.Hosting;

/// <summary>Where and how the InfluxDB sink writes (configuration section <c>RiskStream:Influx</c>), declared in <see cref="Declared"/>.</summary>
internal sealed record InfluxSettings
{
    /// <summary>Empty: no sink.</summary>
    public string Url { get; init; } = "";

    public string Api { get; init; } = "v1";

    public string Database { get; init; } = "riskstream";

    public string RetentionPolicy { get; init; } = "";

    public string Bucket { get; init; } = "riskstream";

    public string Org { get; init; } = "riskstream";

    public string User { get; init; } = "";

    public string TokenFile { get; init; } = "";

    public string PasswordFile { get; init; } = "";

    public string CaFile { get; init; } = "";

    public bool Gzip { get; init; } = true;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public InfluxSinkOptions Sink { get; init; } = new();

    /// <summary>Every option of the section, its range and meaning. <c>Token</c> and <c>Password</c> are read from the environment only.</summary>
    public static OptionSet<InfluxSettings> Declared { get; } = new(
        "RiskStream:Influx",
        new InfluxSettings(),
        [
            Declare.Text<InfluxSettings>("Url", o => o.Url, (o, v) => o with { Url = v }, "an http(s) URL such as http://127.0.0.1:8086", "InfluxDB to write readings, scores and warnings to", "--influx-url", v => Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https", shownDefault: "(empty: no sink)"),
            Declare.Choice<InfluxSettings, string>("Api", o => o.Api, (o, v) => o with { Api = v }, new Dictionary<string, string> { ["v1"] = "v1", ["v2"] = "v2" }, "v1 (/write, InfluxDB 1.x) or v2 (InfluxDB.Client: 2.x, 3.x, 1.8+)", "--influx-api"),
            Declare.Text<InfluxSettings>("Database", o => o.Database, (o, v) => o with { Database = v }, "a database name", "v1 database", "--influx-db", Name),
            Declare.Text<InfluxSettings>("RetentionPolicy", o => o.RetentionPolicy, (o, v) => o with { RetentionPolicy = v }, "a retention policy name", "v1 retention policy", valid: Name, shownDefault: "(the database's default)"),
            Declare.Text<InfluxSettings>("Bucket", o => o.Bucket, (o, v) => o with { Bucket = v }, "a bucket name", "v2 bucket", "--influx-bucket", Name),
            Declare.Text<InfluxSettings>("Org", o => o.Org, (o, v) => o with { Org = v }, "an organisation name", "v2 organisation", "--influx-org", Name),
            Declare.Text<InfluxSettings>("TokenFile", o => o.TokenFile, (o, v) => o with { TokenFile = v }, "a file path", "file holding the v2 token (or set RiskStream__Influx__Token in the environment; never read from riskstream.json)", shownDefault: "(none)"),
            Declare.Text<InfluxSettings>("User", o => o.User, (o, v) => o with { User = v }, "a user name", "v1 user", valid: Name, shownDefault: "(none)"),
            Declare.Text<InfluxSettings>("PasswordFile", o => o.PasswordFile, (o, v) => o with { PasswordFile = v }, "a file path", "file holding the v1 password (or set RiskStream__Influx__Password in the environment)", shownDefault: "(none)"),
            Declare.Text<InfluxSettings>("CaFile", o => o.CaFile, (o, v) => o with { CaFile = v }, "a file path", "PEM file of the CA that InfluxDB's https certificate must chain to (only it is trusted then)", "--influx-ca", shownDefault: "(the system's trust)"),
            Declare.Bool<InfluxSettings>("Gzip", o => o.Gzip, (o, v) => o with { Gzip = v }, "gzip write bodies"),
            Declare.Duration<InfluxSettings>("Timeout", o => o.Timeout, (o, v) => o with { Timeout = v }, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), "one write's timeout"),
            Declare.Text<InfluxSettings>("GroupId", o => o.Sink.GroupId, (o, v) => o with { Sink = o.Sink with { GroupId = v } }, "a Kafka group id", "the sink's own consumer group: an outage becomes its lag", valid: v => v.Length <= 249),
            Declare.Int<InfluxSettings>("MaxBatchesPerWrite", o => o.Sink.MaxBatchesPerWrite, (o, v) => o with { Sink = o.Sink with { MaxBatchesPerWrite = v } }, 1, 1000, "consumed batches (at most 1,024 messages each) per write"),
            Declare.Duration<InfluxSettings>("FlushInterval", o => o.Sink.FlushInterval, (o, v) => o with { Sink = o.Sink with { FlushInterval = v } }, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5), "longest a point waits for its write"),
            Declare.Duration<InfluxSettings>("Downsample", o => o.Sink.Downsample, (o, v) => o with { Sink = o.Sink with { Downsample = v } }, TimeSpan.Zero, TimeSpan.FromHours(1), "at most one raw reading per sensor per interval (0s = off)"),
        ],
        subsections: ["Token", "Password"]);

    /// <summary>The writer; the token and password come only from the environment or a file, never from riskstream.json.</summary>
    public IInfluxWriter CreateWriter()
    {
        var url = new Uri(Url);
        return Api == "v2"
            ? new InfluxV2Writer(url, Bucket, Org, Secrets.Read("RiskStream__Influx__Token", "RiskStream:Influx:TokenFile", TokenFile), Gzip, Timeout, Ca())
            : new InfluxV1Writer(url, Database, RetentionPolicy.Length > 0 ? RetentionPolicy : null, User.Length > 0 ? User : null, Secrets.Read("RiskStream__Influx__Password", "RiskStream:Influx:PasswordFile", PasswordFile), Gzip, Timeout, Ca());
    }

    /// <summary>The URL as it may be shown or stored: without any user and password written into it.</summary>
    public string SafeUrl => Uri.TryCreate(Url, UriKind.Absolute, out var u) && u.UserInfo.Length > 0 ? new UriBuilder(u) { UserName = "", Password = "" }.Uri.ToString() : Url;

    /// <summary>A reader of what the sink wrote (the v1 query API; a 2.x server through its v1 compatibility API with its token).</summary>
    public InfluxHistory CreateHistory()
    {
        var token = Api == "v2" ? Secrets.Read("RiskStream__Influx__Token", "RiskStream:Influx:TokenFile", TokenFile) : null;
        return new InfluxHistory(new Uri(Url), Database, User.Length > 0 ? User : null, Secrets.Read("RiskStream__Influx__Password", "RiskStream:Influx:PasswordFile", PasswordFile), token, TimeSpan.FromMinutes(5), Ca(), RetentionPolicy);
    }

    private string? Ca()
    {
        if (CaFile.Length == 0)
        {
            return null;
        }

        if (!Url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            throw new OptionsException($"RiskStream:Influx:CaFile is set but RiskStream:Influx:Url '{Url}' is not https: the token would travel in clear text");
        }

        return File.Exists(CaFile) ? CaFile : throw new OptionsException($"RiskStream:Influx:CaFile = '{CaFile}': the file does not exist");
    }

    /// <summary>Where it writes, for the log (no secrets).</summary>
    public override string ToString() => Api == "v2" ? $"{Url} (v2, bucket {Bucket}, org {Org})" : $"{Url} (v1, database {Database}{(RetentionPolicy.Length > 0 ? ", rp " + RetentionPolicy : "")})";

    private static bool Name(string v) => v.Length is > 0 and <= 256 && !v.Any(char.IsControl);
}
