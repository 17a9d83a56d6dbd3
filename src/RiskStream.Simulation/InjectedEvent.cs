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

/// <summary>Ground truth of one injected event.</summary>
public sealed record InjectedEvent(
    InjectedKind Kind,
    SiteDef Site,
    IReadOnlyList<SensorDef> Sensors,
    DateTimeOffset Start,
    DateTimeOffset End,
    double Peak)
{
    public bool IsHazard => Kind is InjectedKind.LeakRamp or InjectedKind.Overpressure or InjectedKind.Fire or InjectedKind.ToxicRelease;

    public bool Covers(SensorDef sensor, DateTimeOffset ts) => ts >= Start && ts <= End && Sensors.Contains(sensor);
}
