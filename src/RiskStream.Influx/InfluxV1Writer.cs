using System.IO.Compression;
using System.Net;
using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;

namespace RiskStream.Influx;

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
