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

    [Fact]
    public void Second_level_alarm_is_never_hidden() =>
        Assert.True(SetpointBaselineModel.Risk(Lel, 60, default) >= 0.9);
}
