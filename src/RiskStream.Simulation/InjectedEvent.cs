using RiskStream.Core.Registry;

namespace RiskStream.Simulation;

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
