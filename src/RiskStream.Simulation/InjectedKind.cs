using RiskStream.Core.Registry;

namespace RiskStream.Simulation;

/// <summary>What the simulator injected: hazards develop into real risk, faults only look like it.</summary>
public enum InjectedKind
{
    LeakRamp,
    Overpressure,
    Fire,
    ToxicRelease,
    StuckAt,
    Dropout,
    Spike,
    Drift,
}
