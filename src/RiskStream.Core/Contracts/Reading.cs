namespace RiskStream.Core.Contracts;

/// <summary>One sensor reading as it arrives on <c>riskstream.readings</c> (key = site id).</summary>
/// <remarks>Schema: <c>schemas/reading.v1.json</c>.</remarks>
public sealed record Reading(string Site, string Sensor, SensorKind Kind, double Value, string Unit, DateTimeOffset Ts)
{
    /// <summary>Stable id of a reading: the same reading delivered twice has the same id.</summary>
    public string Id => ReadingId.Of(Site, Sensor, Ts.ToUnixTimeMilliseconds());
}
