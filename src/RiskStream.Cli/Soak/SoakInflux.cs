using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace RiskStream.Cli.Soak;

/// <summary>
/// A throw-away influxd (Debian's influxdb 1.x on the PATH) for the soak's sink: its own folder and free ports,
/// restartable as a fault, asked at the end how many readings it holds.
/// </summary>
internal sealed class SoakInflux : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("riskstream-soak-influxd");
    private readonly HttpClient _http;
    private readonly string _config;
    private Process? _process;

    public SoakInflux(int httpPort, int rpcPort)
    {
        Url = new Uri($"http://127.0.0.1:{httpPort}/");
        _http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        _config = Path.Combine(_folder.FullName, "influxdb.conf");
        var dir = _folder.FullName;
        File.WriteAllLines(_config,
        [
            "reporting-disabled = true",
            $"bind-address = \"127.0.0.1:{rpcPort}\"",
            "[meta]", $"  dir = \"{dir}/meta\"",
            "[data]", $"  dir = \"{dir}/data\"", $"  wal-dir = \"{dir}/wal\"", "  query-log-enabled = false",
            "[http]", $"  bind-address = \"127.0.0.1:{httpPort}\"", "  log-enabled = false",
            "[monitor]", "  store-enabled = false",
        ]);
    }

    public Uri Url { get; }

    public async Task StartAsync()
    {
        _process = Process.Start(new ProcessStartInfo("influxd", ["-config", _config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("influxd did not start (apt-get install -y influxdb)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !_process.HasExited)
        {
            try
            {
                using var ping = await _http.GetAsync(new Uri("ping", UriKind.Relative)).ConfigureAwait(false);
                if (ping.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not up yet.
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"influxd did not answer /ping at {Url}");
    }

    public void Stop()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(TimeSpan.FromSeconds(30));
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Readings stored in <paramref name="database"/>, or null when influxd cannot say.</summary>
    public async Task<long?> ReadingsAsync(string database)
    {
        try
        {
            var query = $"query?db={Uri.EscapeDataString(database)}&q={Uri.EscapeDataString("SELECT count(value) FROM reading")}";
            using var answer = JsonDocument.Parse(await _http.GetStringAsync(new Uri(query, UriKind.Relative)).ConfigureAwait(false));
            var result = answer.RootElement.GetProperty("results")[0];
            return result.TryGetProperty("series", out var series) ? series[0].GetProperty("values")[0][1].GetInt64() : 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        Stop();
        _http.Dispose();
        _folder.Delete(recursive: true);
    }

    public override string ToString() => Url.ToString().TrimEnd('/');

    public static string Describe(long? stored, long expected) =>
        stored is { } n ? string.Create(CultureInfo.InvariantCulture, $"{n:N0} of {expected:N0}") : "unknown (influxd did not answer)";
}
