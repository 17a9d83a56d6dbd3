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

    /// <summary>
    /// Makes sure the target exists before the first write, creating it where the API and the user may; throws
    /// <see cref="InfluxSetupException"/> when the sink cannot work as configured, <see cref="InfluxWriteException"/>
    /// while InfluxDB is unreachable. The v2 bucket is not created (that needs an operator's token): a missing one
    /// shows as writes refused with 404, retried and never committed.
    /// </summary>
    Task EnsureDatabaseAsync(CancellationToken cancel) => Task.CompletedTask;
}
