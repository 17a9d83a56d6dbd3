namespace RiskStream.Core.Contracts;

/// <summary>
/// Alarm-system performance of one scope over one window (topic <c>riskstream.kpis</c>, schema alarm-kpis.v2.json):
/// the figures EEMUA 191 and ISA-18.2 / IEC 62682 manage alarm systems by, computed from the warning events (and,
/// for the sensors' own setpoint alarms, from the scores). A fact is counted in the window its time falls in (a raise
/// at its raise, an acknowledgement at its time, …).
/// </summary>
/// <param name="Scope"><c>park</c>, <c>jurisdiction</c> (its sites and those of the jurisdictions under it), <c>enterprise</c> or <c>site</c>.</param>
/// <param name="Id">The scope's id (<c>park</c> for the park).</param>
/// <param name="Window"><c>10m</c>, <c>1h</c> or <c>1d</c> (days from midnight China Standard Time).</param>
/// <param name="Raised">Warnings raised (an alarm activation each).</param>
/// <param name="RaisedPer10MinMean">Raised per 10 minutes, the mean over the window's 10-minute slots (EEMUA: about 1 per operator position in steady state).</param>
/// <param name="RaisedPer10MinPeak">The busiest 10-minute slot.</param>
/// <param name="FloodShare">Share of the window's 10-minute slots with more than 10 raised (EEMUA / ISA-18.2 flood).</param>
/// <param name="Chattering">Scenario × site pairs raised 3 or more times within one minute (chattering).</param>
/// <param name="Fleeting">Warnings resolved within a minute of their raise, counted at their resolve.</param>
/// <param name="Active">Warnings active (raised, not yet resolved) at the window's end.</param>
/// <param name="Standing">Of those, active longer than 24 hours (standing alarms).</param>
public sealed record AlarmKpis(
    string Scope,
    string Id,
    string Window,
    DateTimeOffset From,
    DateTimeOffset Until,
    int Raised,
    double RaisedPer10MinMean,
    int RaisedPer10MinPeak,
    double FloodShare,
    int Chattering,
    int Fleeting,
    int Active,
    int Standing)
{
    /// <summary>The ten scenario × sensor pairs that raised most, with their share of all raises (bad actors).</summary>
    public IReadOnlyList<BadActor> BadActors { get; init; } = [];

    /// <summary>Time from notification to acknowledgement, per role and level, of acknowledgements made in the window.</summary>
    public IReadOnlyList<ResponseTime> Acknowledge { get; init; } = [];

    /// <summary>Time from raise to disposition, per level, of dispositions made in the window.</summary>
    public IReadOnlyList<ResponseTime> Dispose { get; init; } = [];

    /// <summary>Acknowledgements that fell due unanswered in the window (owner and regulators).</summary>
    public int OverdueAcknowledgements { get; init; }

    /// <summary>Dispositions that fell due unmade in the window.</summary>
    public int OverdueDispositions { get; init; }

    /// <summary>Dispositions made in the window, by scenario, model version at the raise and reason.</summary>
    public IReadOnlyList<DispositionCount> Dispositions { get; init; } = [];

    /// <summary>False alarms over dispositions that judge the warning (all but maintenance and drill); null without one.</summary>
    public double? FalseAlarmShare { get; init; }

    /// <summary>Sensors shelved in the window.</summary>
    public int Shelved { get; init; }

    /// <summary>Warnings raised in the window on a site or sensor declared out of service.</summary>
    public int OutOfService { get; init; }

    /// <summary>
    /// Activations of the sensors' national setpoint alarms (GB/T 50493: a reading's alarm level rising, none to first,
    /// first to second or none to second; each rise one), from the scores: what a gas detection system would annunciate
    /// before the scenario engine's hysteresis. Since v2.
    /// </summary>
    public int SensorAlarms { get; init; }

    /// <summary>Sensors whose setpoint alarm activated 3 or more times within one minute (ISA-18.2 chattering); the warnings' own chattering is <see cref="Chattering"/>. Since v2.</summary>
    public int ChatteringSensors { get; init; }

    /// <summary>Assistance per agreement (who engaged whom for what): requests made, answered, accepted, declined, unanswered, time to answer.</summary>
    public IReadOnlyList<AssistanceFigures> Assistance { get; init; } = [];
}

/// <summary>A scenario × sensor pair and how often it raised.</summary>
public sealed record BadActor(string Scenario, string Sensor, int Raised, double Share);

/// <summary>How long a kind of response took: count, median and 90th percentile in seconds.</summary>
public sealed record ResponseTime(ResponseRole? Role, WarningLevel Level, int Count, double MedianSeconds, double P90Seconds);

/// <summary>Dispositions of one reason, for one scenario and the model that served at the raise.</summary>
public sealed record DispositionCount(string Scenario, string Model, DispositionReason Reason, int Count);

/// <summary>One assistance agreement's figures in the window (the government judging the services it buys).</summary>
public sealed record AssistanceFigures(string EngagedBy, string Enterprise, string Capability, string Basis, int Requested, int Accepted, int Declined, int Unanswered)
{
    public int Answered => Accepted + Declined;

    /// <summary>Median seconds from request to answer, of the answers in the window; null without one.</summary>
    public double? MedianAnswerSeconds { get; init; }
}
