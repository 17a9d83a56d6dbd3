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
    /// <summary>The order it was scheduled in (0 for the first): a stable id, whatever its place in start order.</summary>
    public int Number { get; init; }

    public bool IsHazard => Kind is InjectedKind.LeakRamp or InjectedKind.Overpressure or InjectedKind.Fire or InjectedKind.ToxicRelease;

    public bool Covers(SensorDef sensor, DateTimeOffset ts) => ts >= Start && ts <= End && Sensors.Contains(sensor);
}
