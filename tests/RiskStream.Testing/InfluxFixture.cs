
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace RiskStream.Testing;

/// <summary>
/// A real InfluxDB 1.x (Debian's influxd) in a temporary folder on free ports, started for the tests and stopped
/// after; <see cref="Stop"/> and <see cref="Start"/> let a test take it away and bring it back with its data.
/// </summary>
public sealed class InfluxFixture : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("influxd");
    private readonly HttpClient _http;
    private Process? _process;

    public InfluxFixture()
    {
        Port = FreePorts.BelowEphemeralRange();
        var rpc = FreePorts.BelowEphemeralRange();
        var config = Path.Combine(_dir.FullName, "influxdb.conf");
        File.WriteAllText(config, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{rpc}"
            [meta]
              dir = "{_dir.FullName}/meta"
            [data]
              dir = "{_dir.FullName}/data"
              wal-dir = "{_dir.FullName}/wal"
              query-log-enabled = false
            [http]
              bind-address = "127.0.0.1:{Port}"
              log-enabled = false
            [monitor]
              store-enabled = false
            [continuous_queries]
              enabled = false
            """);
        ConfigPath = config;
        Url = new Uri($"http://127.0.0.1:{Port}/");
        _http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        Start();
    }

    public int Port { get; }

    public Uri Url { get; }

    public string ConfigPath { get; }

    public void Start()
    {
        var influxd = File.Exists("/usr/bin/influxd") ? "/usr/bin/influxd" : "influxd";
        _process = Process.Start(new ProcessStartInfo(influxd, ["-config", ConfigPath]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("influxd did not start (apt-get install -y influxdb)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            try
            {
                using var ping = _http.GetAsync(new Uri("ping", UriKind.Relative)).GetAwaiter().GetResult();
                if (ping.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            // Waiting on the process itself: the wait ends at once if influxd dies instead of coming up.
            if (_process.WaitForExit(50) || TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"influxd did not answer /ping on port {Port}");
            }
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(30_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task CreateDatabaseAsync(string name)
    {
        using var content = new FormUrlEncodedContent([new("q", $"CREATE DATABASE \"{name}\"")]);
        using var response = await _http.PostAsync(new Uri("query", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Runs an InfluxQL query; the rows of its first series (empty when none), values as JSON.</summary>
    public async Task<IReadOnlyList<JsonElement[]>> QueryAsync(string database, string query)
    {
        var uri = new Uri($"query?db={Uri.EscapeDataString(database)}&epoch=ms&q={Uri.EscapeDataString(query)}", UriKind.Relative);
        var text = await _http.GetStringAsync(uri);
        using var doc = JsonDocument.Parse(text);
        var result = doc.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"InfluxQL error: {error.GetString()} ({query})");
        }

        if (!result.TryGetProperty("series", out var series))
        {
            return [];
        }

        return series.EnumerateArray().SelectMany(s => s.GetProperty("values").EnumerateArray().Select(v => v.EnumerateArray().Select(x => x.Clone()).ToArray())).ToList();
    }

    /// <summary>The column names of a query's first series (none when it has no rows).</summary>
    public async Task<IReadOnlyList<string>> ColumnsAsync(string database, string query)
    {
        var uri = new Uri($"query?db={Uri.EscapeDataString(database)}&epoch=ms&q={Uri.EscapeDataString(query)}", UriKind.Relative);
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(uri));
        var result = doc.RootElement.GetProperty("results")[0];
        return result.TryGetProperty("series", out var series)
            ? series[0].GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList()
            : [];
    }

    /// <summary>count(*) style helper: the first numeric value of the first row, 0 when there are no rows.</summary>
    public async Task<long> CountAsync(string database, string query)
    {
        var rows = await QueryAsync(database, query);
        return rows.Count == 0 ? 0 : rows[0][1].GetInt64();
    }

    public void Dispose()
    {
        Stop();
        _http.Dispose();
        _dir.Delete(recursive: true);
    }
}
