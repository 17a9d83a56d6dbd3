using System.IO.Compression;
using System.Net;
using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;

namespace RiskStream.Influx;

/// <summary>The v2 API through InfluxDB.Client: InfluxDB 2.x, 3.x and 1.8+ (bucket = database/retention policy there).</summary>
public sealed class InfluxV2Writer : IInfluxWriter
{
    private readonly InfluxDBClient _client;
    private readonly string _bucket;
    private readonly string _org;

    /// <param name="caFile">PEM file of the CA InfluxDB's certificate must chain to (https), or null for the system's trust.</param>
    public InfluxV2Writer(Uri url, string bucket, string org, string? token, bool gzip, TimeSpan timeout, string? caFile = null)
    {
        var options = new InfluxDBClientOptions(url.ToString()) { Token = token ?? "", Bucket = bucket, Org = org, Timeout = timeout };
        if (caFile is not null)
        {
            options.VerifySslCallback = InfluxTls.TrustOnly(caFile);
        }

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
            throw new InfluxWriteException($"InfluxDB answered {code}: {e.Message}", code, e);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException or IOException && !cancel.IsCancellationRequested)
        {
            throw InfluxTls.Failure(e);
        }
    }

    public void Dispose() => _client.Dispose();
}
