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
    private readonly string _database;

    /// <param name="caFile">PEM file of the CA InfluxDB's certificate must chain to (https), or null for the system's trust.</param>
    public InfluxV1Writer(Uri url, string database, string? retentionPolicy, string? user, string? password, bool gzip, TimeSpan timeout, string? caFile = null)
    {
        _gzip = gzip;
        _database = database;
        var handler = new SocketsHttpHandler();
        if (caFile is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = InfluxTls.TrustOnly(caFile);
        }

        _http = new HttpClient(handler) { BaseAddress = url, Timeout = timeout };
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
                throw InfluxTls.Failure(e);
            }

            using (response)
            {
                if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK)
                {
                    return;
                }

                throw await RefusalAsync(response, cancel).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Creates the database if it is missing (<c>CREATE DATABASE</c> is idempotent). A user who may not create
    /// databases (403) is fine if the database is among those <c>SHOW DATABASES</c> lists; otherwise, and on 401,
    /// the sink cannot work and <see cref="InfluxSetupException"/> says why. Unreachable: <see cref="InfluxWriteException"/>.
    /// </summary>
    public async Task EnsureDatabaseAsync(CancellationToken cancel)
    {
        var quoted = "\"" + _database.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        var created = await QueryAsync("CREATE DATABASE " + quoted, cancel).ConfigureAwait(false);
        if (created.Kind is null && created.Error is null)
        {
            return;
        }

        if (created.Status == 401)
        {
            throw new InfluxSetupException($"InfluxDB refuses the sink's credentials (401: {created.Error}); set RiskStream:Influx:User and RiskStream__Influx__Password (or PasswordFile)");
        }

        if (created.Kind == InfluxRefusal.Transient)
        {
            throw new InfluxWriteException($"InfluxDB could not create database '{_database}': {created.Error}", created.Status);
        }

        var listed = await QueryAsync("SHOW DATABASES", cancel).ConfigureAwait(false);
        if (listed.Error is null && Databases(listed.Body).Contains(_database))
        {
            return;
        }

        throw new InfluxSetupException($"database '{_database}' does not exist in InfluxDB and the sink's user may not create it ({created.Status}: {created.Error}); create it with: influx -execute 'CREATE DATABASE {quoted}'");
    }

    private async Task<(int Status, InfluxRefusal? Kind, string? Error, string Body)> QueryAsync(string statement, CancellationToken cancel)
    {
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", statement)]);
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(new Uri("query", UriKind.Relative), form, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            throw InfluxTls.Failure(e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return (status, new InfluxWriteException("", status).Kind, Excerpt(body), body);
            }

            // 200 with an error in the statement's result (InfluxQL reports statement errors so).
            var error = body.Contains("\"error\"", StringComparison.Ordinal) ? Excerpt(body) : null;
            return (status, null, error, body);
        }
    }

    /// <summary>The names in the answer to <c>SHOW DATABASES</c>; none if it is not that answer.</summary>
    private static HashSet<string> Databases(string body)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var answer = System.Text.Json.JsonDocument.Parse(body);
            foreach (var result in answer.RootElement.GetProperty("results").EnumerateArray())
            {
                if (!result.TryGetProperty("series", out var series))
                {
                    continue;
                }

                foreach (var row in series.EnumerateArray().SelectMany(s => s.GetProperty("values").EnumerateArray()))
                {
                    names.Add(row[0].GetString() ?? "");
                }
            }
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return names;
        }

        return names;
    }

    private static async Task<InfluxWriteException> RefusalAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        var body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
        var code = (int)response.StatusCode;
        return new InfluxWriteException($"InfluxDB answered {code}: {Excerpt(body)}", code);
    }

    /// <summary>InfluxDB's answer, cut to a sentence's length for logs and dead letters.</summary>
    private static string Excerpt(string body)
    {
        var text = body.Trim();
        return text.Length <= 500 ? text : text[..500] + "…";
    }

    public void Dispose() => _http.Dispose();
}
