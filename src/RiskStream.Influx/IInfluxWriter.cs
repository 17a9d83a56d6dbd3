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
