using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using RiskStream.Core.Contracts;

namespace RiskStream.Influx;

/// <summary>A reading as the sink recorded it (<c>reading</c>: site, sensor, kind, value, time).</summary>
public readonly record struct RecordedReading(string Site, string Sensor, string Kind, double Value, long TsMs);

/// <summary>
/// Reads back what the sink wrote: readings in time order and training labels, over InfluxQL on the v1 query API
/// (<c>/query</c>, chunked JSON; InfluxDB 1.x, and 2.x through its v1 compatibility API with a DBRP mapping and a
/// token). Streams: a week of readings never sits in memory at once.
/// </summary>
public sealed class InfluxHistory : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _database;
    private readonly string? _retentionPolicy;

    /// <param name="token">A 2.x token (sent as <c>Authorization: Token</c>); else <paramref name="user"/> and <paramref name="password"/> (basic), or nothing.</param>
    public InfluxHistory(Uri url, string database, string? user, string? password, string? token, TimeSpan timeout, string? caFile = null, string? retentionPolicy = null)
    {
        _database = database;
        _retentionPolicy = string.IsNullOrEmpty(retentionPolicy) ? null : retentionPolicy;
        var handler = new SocketsHttpHandler();
        if (caFile is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = InfluxTls.TrustOnly(caFile);
        }

        _http = new HttpClient(handler) { BaseAddress = url, Timeout = timeout };
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", token);
        }
        else if (!string.IsNullOrEmpty(user))
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    /// <summary>Readings of <paramref name="sites"/> (all when empty) from <paramref name="since"/> to before <paramref name="until"/>, oldest first.</summary>
    public async IAsyncEnumerable<RecordedReading> ReadingsAsync(DateTimeOffset since, DateTimeOffset until, IReadOnlyCollection<string> sites, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var q = $"SELECT \"value\", \"site\", \"sensor\", \"kind\" FROM \"reading\" WHERE {Range(since, until)}{SiteFilter(sites)}";
        await foreach (var (columns, row) in QueryAsync(q, cancel))
        {
            if (!columns.TryGetValue("value", out var value) || !columns.TryGetValue("site", out var site) || !columns.TryGetValue("sensor", out var sensor) || !columns.TryGetValue("kind", out var kind) || !columns.TryGetValue("time", out var time))
            {
                throw new InfluxWriteException($"InfluxDB: the reading series lacks a column (has {string.Join(", ", columns.Keys)})", 400);
            }

            if (row[value].ValueKind != JsonValueKind.Number || row[site].ValueKind != JsonValueKind.String || row[sensor].ValueKind != JsonValueKind.String || row[time].ValueKind != JsonValueKind.Number)
            {
                continue;
            }

            yield return new RecordedReading(row[site].GetString()!, row[sensor].GetString()!, row[kind].ValueKind == JsonValueKind.String ? row[kind].GetString()! : "", row[value].GetDouble(), row[time].GetInt64());
        }
    }

    /// <summary>
    /// Labels whose interval overlaps <paramref name="since"/> to before <paramref name="until"/> (raised within
    /// <see cref="LabelReach"/> before it, as a warning lives at most that long in practice); a point that is not a
    /// whole label is skipped.
    /// </summary>
    public async Task<List<Label>> LabelsAsync(DateTimeOffset since, DateTimeOffset until, IReadOnlyCollection<string> sites, CancellationToken cancel = default)
    {
        var labels = new List<Label>();
        var q = $"SELECT * FROM \"label\" WHERE {Range(since - LabelReach, until)} AND \"until_ms\" >= {since.ToUnixTimeMilliseconds()}{SiteFilter(sites)}";
        await foreach (var (c, row) in QueryAsync(q, cancel))
        {
            string? Text(string name) => c.TryGetValue(name, out var i) && row[i].ValueKind == JsonValueKind.String ? row[i].GetString() : null;
            long? Ms(string name) => c.TryGetValue(name, out var i) && row[i].ValueKind == JsonValueKind.Number ? row[i].GetInt64() : null;
            if (Text("warning") is not { } warning || Text("site") is not { } site || Text("scenario") is not { } scenario || Text("sensors") is not { } sensors
                || !WireNames.TryParseWire<LabelClass>(Text("label") ?? "", out var risk) || !WireNames.TryParseWire<DispositionReason>(Text("reason") ?? "", out var reason)
                || Ms("time") is not { } from || Ms("until_ms") is not { } to || Ms("disposed_ms") is not { } disposed)
            {
                continue;
            }

            labels.Add(new Label(warning, scenario, site, "", sensors.Split(',', StringSplitOptions.RemoveEmptyEntries), DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to), risk, reason, Text("model") ?? "-", DateTimeOffset.FromUnixTimeMilliseconds(disposed))
            {
                Fault = Text("fault") switch { "true" => true, "false" => false, _ => null },
            });
        }

        return labels;
    }

    /// <summary>How long before a period a label may have been raised and still reach into it.</summary>
    public static readonly TimeSpan LabelReach = TimeSpan.FromDays(31);

    public void Dispose() => _http.Dispose();

    private static string Range(DateTimeOffset since, DateTimeOffset until) =>
        string.Create(CultureInfo.InvariantCulture, $"time >= {since.ToUnixTimeMilliseconds()}ms AND time < {until.ToUnixTimeMilliseconds()}ms");

    private static string SiteFilter(IReadOnlyCollection<string> sites) =>
        sites.Count == 0 ? "" : " AND (" + string.Join(" OR ", sites.Select(s => $"\"site\" = '{s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'")) + ")";

    /// <summary>Each row of the query's result, with the column indexes by name; an error InfluxDB reports is thrown as <see cref="InfluxWriteException"/> (its status; 400 for an error in the result).</summary>
    private async IAsyncEnumerable<(Dictionary<string, int> Columns, JsonElement[] Row)> QueryAsync(string influxQl, [EnumeratorCancellation] CancellationToken cancel)
    {
        var rp = _retentionPolicy is null ? "" : $"&rp={Uri.EscapeDataString(_retentionPolicy)}";
        var uri = new Uri($"query?db={Uri.EscapeDataString(_database)}{rp}&epoch=ms&chunked=true&chunk_size=10000&q={Uri.EscapeDataString(influxQl)}", UriKind.Relative);
        using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
            throw new InfluxWriteException($"InfluxDB answered {(int)response.StatusCode} to a query: {body[..Math.Min(body.Length, 300)]}", (int)response.StatusCode);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancel).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            foreach (var result in doc.RootElement.TryGetProperty("results", out var results) ? results.EnumerateArray() : default)
            {
                if (result.TryGetProperty("error", out var error))
                {
                    throw new InfluxWriteException($"InfluxDB: {error.GetString()}", 400);
                }

                if (!result.TryGetProperty("series", out var series))
                {
                    continue;
                }

                foreach (var s in series.EnumerateArray())
                {
                    var columns = s.GetProperty("columns").EnumerateArray().Select((c, i) => (c.GetString()!, i)).ToDictionary(x => x.Item1, x => x.i, StringComparer.Ordinal);
                    foreach (var row in s.GetProperty("values").EnumerateArray())
                    {
                        yield return (columns, row.EnumerateArray().Select(e => e.Clone()).ToArray());
                    }
                }
            }
        }
    }
}
