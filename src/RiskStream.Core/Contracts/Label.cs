using System.Text.Json.Serialization;

namespace RiskStream.Core.Contracts;

/// <summary>
/// What people found a disposed warning to be, as training data (topic <c>riskstream.labels</c>, keyed by the warning
/// id, schema label.v1.json): the site, the sensors that were evidence at any time in its life, the interval from its
/// raise to its resolve, and the label its disposition gives. Written once the warning is closed as disposed.
/// </summary>
/// <param name="Warning">The warning's id.</param>
/// <param name="Sensors">Every sensor that was evidence in any of its events, ordered by id.</param>
/// <param name="Risk">For the risk model: a hazard, not a hazard, or excluded (maintenance, drill, instrument fault, other).</param>
/// <param name="Reason">The disposition it comes from.</param>
/// <param name="Model">The risk model at the raise (<c>-</c> when none scored).</param>
public sealed record Label(
    string Warning,
    string Scenario,
    string Site,
    string Enterprise,
    IReadOnlyList<string> Sensors,
    DateTimeOffset From,
    DateTimeOffset Until,
    LabelClass Risk,
    DispositionReason Reason,
    string Model,
    DateTimeOffset DisposedAt)
{
    /// <summary>For the fault detector: true when the disposition confirmed an instrument fault; false when a sensor-health warning was a false alarm; else null (it says nothing of the sensors).</summary>
    public bool? Fault { get; init; }

    /// <summary>The label a disposition gives a warning of <paramref name="scenario"/>.</summary>
    public static (LabelClass Risk, bool? Fault) Of(string scenario, DispositionReason reason) => reason switch
    {
        DispositionReason.ConfirmedHazard => (scenario == "sensor_health" ? LabelClass.Excluded : LabelClass.Hazard, null),
        DispositionReason.FalseAlarm => (LabelClass.NotHazard, scenario == "sensor_health" ? false : null),
        DispositionReason.InstrumentFault => (LabelClass.Excluded, true),
        _ => (LabelClass.Excluded, null), // maintenance, drill, other: not evidence either way
    };
}

/// <summary>A label for the risk model.</summary>
public enum LabelClass
{
    [JsonStringEnumMemberName("hazard")] Hazard,
    [JsonStringEnumMemberName("not_hazard")] NotHazard,
    [JsonStringEnumMemberName("excluded")] Excluded,
}
