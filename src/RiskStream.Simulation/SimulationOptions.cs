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

    public void Validate()
    {
        if (RatePerSecond is <= 0 or > 2_000_000 || !double.IsFinite(RatePerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(RatePerSecond), RatePerSecond, "RiskStream:Simulation:RatePerSecond must be in (0, 2000000]");
        }

        if (Sites < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Sites), Sites, "RiskStream:Simulation:Sites must be 0 (all) or more");
        }

        if (EventEvery < TimeSpan.FromSeconds(1) || EventEvery > TimeSpan.FromDays(7))
        {
            throw new ArgumentOutOfRangeException(nameof(EventEvery), EventEvery, "RiskStream:Simulation:EventEvery must be 1 s to 7 days");
        }

        if (FirstHazardAfter < TimeSpan.Zero || FirstHazardAfter > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(FirstHazardAfter), FirstHazardAfter, "RiskStream:Simulation:FirstHazardAfter must be 0 to 1 day");
        }

        if (InspectionEvery < TimeSpan.Zero || InspectionEvery > TimeSpan.FromDays(7))
        {
            throw new ArgumentOutOfRangeException(nameof(InspectionEvery), InspectionEvery, "RiskStream:Simulation:InspectionEvery must be 0 (none) to 7 days");
        }

        if (HazardShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(HazardShare), HazardShare, "RiskStream:Simulation:HazardShare must be 0 to 1");
        }
    }
}
