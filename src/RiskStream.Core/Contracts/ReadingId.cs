namespace RiskStream.Core.Contracts;

/// <summary>Builds the stable reading id, <c>site/sensor/unix-ms</c>.</summary>
internal static class ReadingId
{
    public static string Of(string site, string sensor, long unixMs) => $"{site}/{sensor}/{unixMs}";
}
