using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Scenarios.Engine;

/// <summary>One scored reading as the engine sees it.</summary>
/// <param name="Flat">The sensor's window holds at least five readings, all the same value (a stuck sensor).</param>
/// <param name="Offset">Input offset of the reading (for restoring state after a failover); -1 if none.</param>
public readonly record struct SensorObservation(
    SensorDef Sensor,
    double Value,
    AlarmLevel Alarm,
    double Risk,
    bool Flat,
    long TsMs,
    string Model,
    long Offset = -1)
{
    /// <summary>The risk model's anomaly detector takes the reading for a sensor fault (a sensor-health matter).</summary>
    public bool Anomalous { get; init; }
}

/// <summary>A substance identified from a Raman spectrum at a site, with its GHS hazard classes (most severe first).</summary>
public sealed record IdentificationObservation(
    SiteDef Site,
    string Substance,
    IReadOnlyList<string> HazardClasses,
    string Purpose,
    double Score,
    string Sample,
    long TsMs,
    string Model);

/// <summary>A warning event ready to publish: the JSON event and its CAP 1.2 rendering.</summary>
public sealed record PublishedWarning(WarningEvent Event, string Cap);

/// <summary>A maintenance window: readings of the site (or of one sensor) raise nothing while it lasts.</summary>
public sealed record Silence(string Site, string? Sensor, DateTimeOffset From, DateTimeOffset Until, string DeclaredBy, string Reason)
{
    public bool Covers(string site, string? sensor, long tsMs) =>
        Site == site && (Sensor is null || Sensor == sensor) && tsMs >= From.ToUnixTimeMilliseconds() && tsMs < Until.ToUnixTimeMilliseconds();
}

/// <summary>
/// The maintenance windows in force, replaceable while the engine runs (an operator edits the silences file): the
/// engine reads the current list at each evaluation, the replacement swaps the whole list at once.
/// </summary>
public sealed class SilenceBook(IReadOnlyList<Silence> initial)
{
    private IReadOnlyList<Silence> _current = initial;

    public IReadOnlyList<Silence> Current => Volatile.Read(ref _current);

    public void Replace(IReadOnlyList<Silence> silences) => Volatile.Write(ref _current, silences);
}

/// <summary>Why an acknowledgement was refused.</summary>
public enum AckRefusal
{
    None,
    Duplicate,
    UnknownWarning,
    NotAnAudience,
}
