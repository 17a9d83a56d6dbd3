using System.IO.Compression;
using System.Net;
using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;

namespace RiskStream.Influx;

/// <summary>Writes a body of line protocol (millisecond precision) to InfluxDB.</summary>
public interface IInfluxWriter : IDisposable
{
    /// <summary>Completes when InfluxDB accepted the points; throws <see cref="InfluxWriteException"/> otherwise.</summary>
    Task WriteAsync(string lines, CancellationToken cancel);
}

/// <summary>InfluxDB refused or could not take a write; <see cref="Retryable"/> says whether trying again can help.</summary>
public sealed class InfluxWriteException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}

/// <summary>The v1 HTTP API (<c>/write?db=&amp;rp=&amp;precision=ms</c>): InfluxDB 1.x, gzip bodies, user and password.</summary>
public sealed class InfluxV1Writer : IInfluxWriter
{
    private readonly HttpClient _http;
    private readonly Uri _write;
    private readonly bool _gzip;

    public InfluxV1Writer(Uri url, string database, string? retentionPolicy, string? user, string? password, bool gzip, TimeSpan timeout)
    {
        _gzip = gzip;
        _http = new HttpClient { BaseAddress = url, Timeout = timeout };
        if (!string.IsNullOrEmpty(user))
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        var query = $"write?db={Uri.EscapeDataString(database)}&precision=ms" + (string.IsNullOrEmpty(retentionPolicy) ? "" : $"&rp={Uri.EscapeDataString(retentionPolicy)}");
        _write = new Uri(query, UriKind.Relative);
    }

    public async Task WriteAsync(string lines, CancellationToken cancel)
    {
        var bytes = Encoding.UTF8.GetBytes(lines);
        HttpContent content;
        if (_gzip)
        {
            var compressed = new MemoryStream();
            await using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await zip.WriteAsync(bytes, cancel).ConfigureAwait(false);
            }

            content = new ByteArrayContent(compressed.ToArray());
            content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            content = new ByteArrayContent(bytes);
        }

        using (content)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.PostAsync(_write, content, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
            {
                throw new InfluxWriteException($"InfluxDB unreachable: {e.Message}", retryable: true, e);
            }

            using (response)
            {
                if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK)
                {
                    return;
                }

                var body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
                var code = (int)response.StatusCode;
                throw new InfluxWriteException($"InfluxDB answered {code}: {body.Trim()}", retryable: code is >= 500 or 408 or 429);
            }
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The v2 API through InfluxDB.Client: InfluxDB 2.x, 3.x and 1.8+ (bucket = database/retention policy there).</summary>
public sealed class InfluxV2Writer : IInfluxWriter
{
    private readonly InfluxDBClient _client;
    private readonly string _bucket;
    private readonly string _org;

    public InfluxV2Writer(Uri url, string bucket, string org, string? token, bool gzip, TimeSpan timeout)
    {
        var options = new InfluxDBClientOptions(url.ToString()) { Token = token ?? "", Bucket = bucket, Org = org, Timeout = timeout };
        _client = new InfluxDBClient(options);
        if (gzip)
        {
            _client.EnableGzip();
        }

        _bucket = bucket;
        _org = org;
    }

    public async Task WriteAsync(string lines, CancellationToken cancel)
    {
        try
        {
            await _client.GetWriteApiAsync().WriteRecordAsync(lines.TrimEnd('\n'), WritePrecision.Ms, _bucket, _org, cancel).ConfigureAwait(false);
        }
        catch (InfluxDB.Client.Core.Exceptions.HttpException e)
        {
            var code = e.Status;
            throw new InfluxWriteException($"InfluxDB answered {code}: {e.Message}", retryable: code is 0 or >= 500 or 408 or 429, e);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException or IOException && !cancel.IsCancellationRequested)
        {
            throw new InfluxWriteException($"InfluxDB unreachable: {e.Message}", retryable: true, e);
        }
    }

    public void Dispose() => _client.Dispose();
}
