using CsCheck;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Scoring;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Tests;

public sealed class SetpointBaselineModelTests
{
    private static readonly SensorDef Lel = ParkRegistry.FromDocument(new RegistryDocument(
        "t",
        [new("C", "c", "city", null, null)],
        [new("E", "e", null, null, null)],
        [new("S", "s", "E", "C", 30, 121, null, [new("LEL", SensorKind.CombustibleLel, null, null)])])).Sites["S"].Sensors.Single();

    [Fact]
    public void A_rising_trend_raises_risk_but_never_to_a_first_level_alarm()
    {
        var flat = new WindowStats(10, 10, 0.1, 9.9, 10.1, 0, 0);
        var rising = flat with { SlopePerMin = 30 };
        var still = SetpointBaselineModel.Risk(Lel, 10, flat);
        var trending = SetpointBaselineModel.Risk(Lel, 10, rising);
        Assert.True(trending > still);
        Assert.True(trending < 0.5);
    }

    /// <summary>One sensor of every kind with national setpoints (and setpoints of its own for the kinds without).</summary>
    private static readonly SensorDef[] EveryKind = ParkRegistry.FromDocument(new RegistryDocument(
        "t",
        [new("C", "c", "city", null, null)],
        [new("E", "e", null, null, null)],
        [new("S", "s", "E", "C", 30, 121, null, SensorKinds.All.Select(k => new SensorDocument(k.WireName(), k, k is SensorKind.Temperature or SensorKind.Pressure or SensorKind.TankLevel ? new SetpointsDocument(60, 80, null, null) : null, null)).ToArray())]))
        .Sites["S"].Sensors.ToArray();

    [Fact]
    public void Second_level_alarm_is_never_hidden_whatever_the_kind_value_or_window()
    {
        var sensor = Gen.Int[0, EveryKind.Length - 1].Select(i => EveryKind[i]);
        var window = Gen.Select(Gen.Int[0, 600], Gen.Double[-1e3, 1e3], Gen.Double[0, 1e3], Gen.Double[-1e4, 1e4])
            .Select((n, mean, sd, slope) => new WindowStats(n, mean, sd, mean - sd, mean + sd, slope, 0));
        Gen.Select(sensor, Gen.Double[0, 10], window).Sample((s, beyond, w) =>
        {
            // A value at or past a second-level setpoint, high or low, by any margin.
            var sp = s.Setpoints;
            var value = sp.SecondHigh is { } high ? high + beyond : sp.SecondLow is { } low ? low - beyond : double.NaN;
            return double.IsNaN(value) || (sp.LevelOf(value) == AlarmLevel.Second && SetpointBaselineModel.Risk(s, value, w) >= 0.9);
        });
    }
}
