using RiskStream.Influx;

namespace RiskStream.Cli.Hosting;

/// <summary>Where and how the InfluxDB sink writes (configuration section <c>RiskStream:Influx</c>).</summary>
internal sealed record InfluxSettings
{
    /// <summary>Empty: no sink.</summary>
    public string Url { get; init; } = "";

    public string Api { get; init; } = "v1";

    public string Database { get; init; } = "riskstream";

    public string RetentionPolicy { get; init; } = "";

    public string Bucket { get; init; } = "riskstream";

    public string Org { get; init; } = "riskstream";

    public string? User { get; init; }

    public bool Gzip { get; init; } = true;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public InfluxSinkOptions Sink { get; init; } = new();

    public static InfluxSettings Read(Settings s)
    {
        var api = s.GetString("RiskStream:Influx:Api", "v1");
        if (api is not ("v1" or "v2"))
        {
            throw new OptionsException($"RiskStream:Influx:Api = '{api}': expected v1 or v2");
        }

        var url = s.GetString("RiskStream:Influx:Url", "");
        if (url.Length > 0 && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
        {
            throw new OptionsException($"RiskStream:Influx:Url = '{url}': expected an http(s) URL such as http://127.0.0.1:8086");
        }

        return new InfluxSettings
        {
            Url = url,
            Api = api,
            Database = s.GetString("RiskStream:Influx:Database", "riskstream"),
            RetentionPolicy = s.GetString("RiskStream:Influx:RetentionPolicy", ""),
            Bucket = s.GetString("RiskStream:Influx:Bucket", "riskstream"),
            Org = s.GetString("RiskStream:Influx:Org", "riskstream"),
            User = s.GetString("RiskStream:Influx:User", "") is { Length: > 0 } user ? user : null,
            Gzip = s.GetBool("RiskStream:Influx:Gzip", true),
            Timeout = s.GetDuration("RiskStream:Influx:Timeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
            Sink = new InfluxSinkOptions
            {
                GroupId = s.GetString("RiskStream:Influx:GroupId", "riskstream-influx"),
                MaxBatchesPerWrite = s.GetInt("RiskStream:Influx:MaxBatchesPerWrite", 8, 1, 1000),
                FlushInterval = s.GetDuration("RiskStream:Influx:FlushInterval", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5)),
                Downsample = s.GetDuration("RiskStream:Influx:Downsample", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromHours(1)),
            },
        };
    }

    /// <summary>The writer; the token and password come only from the environment or a file, never from riskstream.json.</summary>
    public IInfluxWriter CreateWriter(Settings s)
    {
        var url = new Uri(Url);
        return Api == "v2"
            ? new InfluxV2Writer(url, Bucket, Org, Secret(s, "RiskStream__Influx__Token", "RiskStream:Influx:TokenFile"), Gzip, Timeout)
            : new InfluxV1Writer(url, Database, RetentionPolicy.Length > 0 ? RetentionPolicy : null, User, Secret(s, "RiskStream__Influx__Password", "RiskStream:Influx:PasswordFile"), Gzip, Timeout);
    }

    private static string? Secret(Settings s, string variable, string fileKey)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
        {
            return value;
        }

        var file = s.GetString(fileKey, "");
        if (file.Length == 0)
        {
            return null;
        }

        return File.Exists(file) ? File.ReadAllText(file).Trim() : throw new OptionsException($"{fileKey} = '{file}': the file does not exist");
    }

    /// <summary>Where it writes, for the log (no secrets).</summary>
    public override string ToString() => Api == "v2" ? $"{Url} (v2, bucket {Bucket}, org {Org})" : $"{Url} (v1, database {Database}{(RetentionPolicy.Length > 0 ? ", rp " + RetentionPolicy : "")})";
}
