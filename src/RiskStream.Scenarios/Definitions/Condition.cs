using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// One condition of a scenario: how many sensors (of some kinds) have a signal at or above, or below, a threshold,
/// for how long, and how often.
/// </summary>
public sealed record Condition
{
    public required Signal Signal { get; init; }

    /// <summary>Holds for a sensor when its signal is at least this (inclusive).</summary>
    public double? AtLeast { get; init; }

    /// <summary>Holds for a sensor when its signal is below this (exclusive).</summary>
    public double? Below { get; init; }

    /// <summary>Sensor kinds it counts; the scenario's watched kinds when not given.</summary>
    public required IReadOnlySet<SensorKind> Kinds
    {
        get;
        init
        {
            field = value;
            KindMask = value.Aggregate(0u, (mask, kind) => mask | (1u << (int)kind));
        }
    }

    /// <summary><see cref="Kinds"/> as a bit per kind, for the hot path.</summary>
    public uint KindMask { get; private init; }

    public bool Counts(SensorKind kind) => (KindMask & (1u << (int)kind)) != 0;

    /// <summary>How many sensors must satisfy it; <see cref="All"/> for every sensor of the kinds at the site.</summary>
    public int Sensors { get; init; } = 1;

    public const int All = -1;

    /// <summary>How long it must hold without a break (event time).</summary>
    public TimeSpan For { get; init; }

    /// <summary>How many times it must have become true within <see cref="RepeatWithin"/> (0: no repeat rule).</summary>
    public int Repeat { get; init; }

    public TimeSpan RepeatWithin { get; init; }

    /// <summary>Identification only: hazard classes that count (any when empty).</summary>
    public IReadOnlySet<string> HazardClasses { get; init; } = new HashSet<string>();

    /// <summary>Identification only: purposes that count (any when empty).</summary>
    public IReadOnlySet<string> Purposes { get; init; } = new HashSet<string>();

    /// <summary>Identification only: how long an identification keeps counting after it was made.</summary>
    public TimeSpan Within { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Position in <see cref="ScenarioDefinition.AllConditions"/>: the index of its tracker.</summary>
    public int Index { get; init; }

    /// <summary>Line in the scenario file, for messages.</summary>
    public int Line { get; init; }

    /// <summary>Whether one sensor value satisfies the threshold.</summary>
    public bool Satisfies(double value) =>
        !double.IsNaN(value) && (AtLeast is not { } min || value >= min) && (Below is not { } max || value < max);
}
