using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// A scenario's response deadlines (<c>response:</c> in its file): how long the owner and the regulators have to
/// acknowledge at each level, when they are reminded, how long the owner has to dispose, from which level a
/// disposition needs the regulator's confirmation, how long a sensor may be shelved at each level, and how long an
/// engaged enterprise has to answer an assistance request. The code's defaults are chosen defaults, not regulation
/// (docs/scenarios.md gives their basis); each shipped scenario file states its own.
/// </summary>
public sealed record ResponsePolicy
{
    /// <summary>Acknowledgement deadline per level (index = <see cref="WarningLevel"/> value; zero: none).</summary>
    public TimeSpan[] Acknowledge { get; init; } = new TimeSpan[5];

    /// <summary>A reminder goes out once this share of an acknowledgement deadline has passed (0: no reminders).</summary>
    public double RemindAt { get; init; } = 0.5;

    /// <summary>The owner must dispose a warning within this long of its raise (zero: no deadline).</summary>
    public TimeSpan Dispose { get; init; } = TimeSpan.FromHours(24);

    /// <summary>From this level up (the highest the warning reached), a disposition needs a regulator's confirmation.</summary>
    public WarningLevel ConfirmFrom { get; init; } = WarningLevel.Orange;

    /// <summary>Longest shelving per level (zero: none; the default allows none at red).</summary>
    public TimeSpan[] ShelveMax { get; init; } = [TimeSpan.Zero, TimeSpan.FromHours(8), TimeSpan.FromHours(4), TimeSpan.FromHours(1), TimeSpan.Zero];

    /// <summary>An engaged enterprise must accept or decline an assistance request within this long.</summary>
    public TimeSpan AssistanceAnswer { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan AcknowledgeWithin(WarningLevel level) => Acknowledge[(int)level];
}
