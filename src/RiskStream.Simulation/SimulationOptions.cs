using RiskStream.Core.Options;

namespace RiskStream.Simulation;

/// <summary>Options of the park simulator (configuration section <c>RiskStream:Simulation</c>).</summary>
public sealed record SimulationOptions
{
    public int Seed { get; init; } = 42;

    /// <summary>Readings per second over the whole park; each sensor reports every sensors/rate seconds.</summary>
    public double RatePerSecond { get; init; } = 90;

    /// <summary>Simulate only the first N sites of the registry (0 = all).</summary>
    public int Sites { get; init; }

    /// <summary>Mean time between injected events (hazards and sensor faults).</summary>
    public TimeSpan EventEvery { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Start of the first hazard after the simulation starts, so a newcomer sees a warning early.</summary>
    public TimeSpan FirstHazardAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the first hazard (a short leak ramp after <see cref="FirstHazardAfter"/>) is injected for demonstrations; datasets leave it out.</summary>
    public bool DemoHazard { get; init; } = true;

    /// <summary>Mean time between simulated Raman inspections (a spectrum from a site); zero for none.</summary>
    public TimeSpan InspectionEvery { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Share of injected events that are hazards; the rest are sensor faults.</summary>
    public double HazardShare { get; init; } = 0.5;

    /// <summary>Mean delay before the simulated people answer a warning (<see cref="SimulatedResponders"/>); zero: nobody answers.</summary>
    public TimeSpan ResponseDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Every option of the section, its range and meaning.</summary>
    public static OptionSet<SimulationOptions> Declared { get; } = new(
        "RiskStream:Simulation",
        new SimulationOptions(),
        [
            Declare.Int<SimulationOptions>("Seed", o => o.Seed, (o, v) => o with { Seed = v }, int.MinValue, int.MaxValue, "simulator seed: the same seed, the same park", "--seed"),
            Declare.Double<SimulationOptions>("RatePerSecond", o => o.RatePerSecond, (o, v) => o with { RatePerSecond = v }, 0.001, 2_000_000, "readings per second over the park", "--rate"),
            Declare.Int<SimulationOptions>("Sites", o => o.Sites, (o, v) => o with { Sites = v }, 0, 1_000_000, "simulate only the first N sites (0 = all)", "--sites"),
            Declare.Duration<SimulationOptions>("EventEvery", o => o.EventEvery, (o, v) => o with { EventEvery = v }, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7), "mean time between injected hazards and faults"),
            Declare.Duration<SimulationOptions>("FirstHazardAfter", o => o.FirstHazardAfter, (o, v) => o with { FirstHazardAfter = v }, TimeSpan.Zero, TimeSpan.FromDays(1), "when the first hazard (a leak ramp) starts"),
            Declare.Double<SimulationOptions>("HazardShare", o => o.HazardShare, (o, v) => o with { HazardShare = v }, 0, 1, "share of injected events that are hazards; the rest are sensor faults"),
            Declare.Duration<SimulationOptions>("ResponseDelay", o => o.ResponseDelay, (o, v) => o with { ResponseDelay = v }, TimeSpan.Zero, TimeSpan.FromHours(1), "mean delay before the simulated owners, neighbours, regulators and assisting enterprises answer a warning in the embedded run (0s = nobody answers)"),
            Declare.Duration<SimulationOptions>("InspectionEvery", o => o.InspectionEvery, (o, v) => o with { InspectionEvery = v }, TimeSpan.Zero, TimeSpan.FromDays(7), "mean time between simulated Raman inspections, a spectrum on riskstream.spectra (0s = none)"),
        ]);

    /// <summary>Checks options built in code by the same rules as those read from configuration.</summary>
    public void Validate()
    {
        foreach (var spec in Declared.Specs)
        {
            spec.Check(this);
        }
    }
}
