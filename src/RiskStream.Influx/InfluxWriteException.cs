using System.IO.Compression;
using System.Net;
using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;

namespace RiskStream.Influx;

/// <summary>InfluxDB refused or could not take a write; <see cref="Retryable"/> says whether trying again can help.</summary>
public sealed class InfluxWriteException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}
