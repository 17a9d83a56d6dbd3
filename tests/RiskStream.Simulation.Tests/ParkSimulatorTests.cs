using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Simulation.Tests;

public sealed class ParkSimulatorTests
{
    private static readonly ParkRegistry Park = ParkRegistry.Load(Path.Combine(AppContext.BaseDirectory, "config", "park.json"));
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    private static List<Reading?> Run(int seed, TimeSpan span)
    {
        var sim = new ParkSimulator(Park, new SimulationOptions { Seed = seed }, Start);
        var result = new List<Reading?>();
        for (var t = TimeSpan.Zero; t < span; t += sim.SensorPeriod)
        {
            result.AddRange(sim.Sensors.Select(s => sim.ReadingAt(s, Start + t)));
        }

        return result;
    }

    [Fact]
    public void Same_seed_gives_the_same_readings_and_another_seed_does_not()
    {
        var a = Run(7, TimeSpan.FromMinutes(3));
        var b = Run(7, TimeSpan.FromMinutes(3));
        var c = Run(8, TimeSpan.FromMinutes(3));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_value_does_not_depend_on_what_was_asked_before()
    {
        var sim1 = new ParkSimulator(Park, new SimulationOptions { Seed = 3 }, Start);
        var sim2 = new ParkSimulator(Park, new SimulationOptions { Seed = 3 }, Start);
        var sensor = sim1.Sensors[17];
        _ = sim1.ReadingAt(sim1.Sensors[2], Start + TimeSpan.FromMinutes(20));
        Assert.Equal(sim2.ReadingAt(sensor, Start + TimeSpan.FromMinutes(10)), sim1.ReadingAt(sensor, Start + TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void The_first_hazard_is_a_leak_that_crosses_the_second_level_alarm_within_a_minute()
    {
        var sim = new ParkSimulator(Park, new SimulationOptions { Seed = 42 }, Start);
        var first = sim.Events[0];
        Assert.Equal(InjectedKind.LeakRamp, first.Kind);
        Assert.True(first.IsHazard);
        var primary = first.Sensors[0];

        // Look well beyond the claim, so that a leak reaching 50 %LEL after a minute fails the test rather than the search.
        var crossed = Enumerable.Range(0, 600).Select(s => sim.ReadingAt(primary, Start + TimeSpan.FromSeconds(s))).FirstOrDefault(r => r!.Value >= 50);
        Assert.NotNull(crossed);
        Assert.InRange(crossed.Ts - Start, first.Start - Start, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Normal_operation_stays_below_the_alarm_setpoints()
    {
        var sim = new ParkSimulator(Park, new SimulationOptions { Seed = 5, FirstHazardAfter = TimeSpan.FromDays(1), EventEvery = TimeSpan.FromDays(7) }, Start);
        foreach (var sensor in sim.Sensors)
        {
            for (var m = 0; m < 24 * 60; m += 7)
            {
                var r = sim.ReadingAt(sensor, Start + TimeSpan.FromMinutes(m))!;
                Assert.Equal(AlarmLevel.None, sensor.Setpoints.LevelOf(r.Value));
            }
        }
    }

    [Fact]
    public void Hazards_and_faults_are_both_injected_with_ground_truth()
    {
        var sim = new ParkSimulator(Park, new SimulationOptions { Seed = 11, EventEvery = TimeSpan.FromSeconds(30) }, Start);
        _ = sim.ReadingAt(sim.Sensors[0], Start + TimeSpan.FromHours(2));
        Assert.Contains(sim.Events, e => e.IsHazard);
        Assert.Contains(sim.Events, e => !e.IsHazard);
        Assert.Equal(8, sim.Events.Select(e => e.Kind).Distinct().Count());
        var dropout = sim.Events.First(e => e.Kind == InjectedKind.Dropout);
        var mid = dropout.Start + ((dropout.End - dropout.Start) / 2);
        Assert.Null(sim.ReadingAt(dropout.Sensors[0], mid));
        Assert.Equal(dropout, sim.TruthAt(dropout.Sensors[0], mid));
    }
}
