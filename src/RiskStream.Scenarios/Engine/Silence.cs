namespace RiskStream.Scenarios.Engine;

/// <summary>A maintenance window: readings of the site (or of one sensor) raise nothing while it lasts.</summary>
public sealed record Silence(string Site, string? Sensor, DateTimeOffset From, DateTimeOffset Until, string DeclaredBy, string Reason)
{
    public bool Covers(string site, string? sensor, long tsMs) =>
        Site == site && (Sensor is null || Sensor == sensor) && tsMs >= From.ToUnixTimeMilliseconds() && tsMs < Until.ToUnixTimeMilliseconds();
}
