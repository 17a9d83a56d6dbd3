using CsCheck;
using RiskStream.Core.Alarms;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Tests;

public sealed class SetpointTests
{
    [Theory]
    [InlineData(SensorKind.CombustibleLel, 24.9, AlarmLevel.None)]
    [InlineData(SensorKind.CombustibleLel, 25, AlarmLevel.First)]
    [InlineData(SensorKind.CombustibleLel, 50, AlarmLevel.Second)]
    [InlineData(SensorKind.H2S, 7.0, AlarmLevel.None)]
    [InlineData(SensorKind.H2S, 7.1, AlarmLevel.First)]
    [InlineData(SensorKind.H2S, 14.2, AlarmLevel.Second)]
    [InlineData(SensorKind.Cl2, 0.34, AlarmLevel.First)]
    [InlineData(SensorKind.O2, 20.9, AlarmLevel.None)]
    [InlineData(SensorKind.O2, 19.5, AlarmLevel.Second)]
    [InlineData(SensorKind.O2, 23.5, AlarmLevel.Second)]
    [InlineData(SensorKind.Temperature, 500, AlarmLevel.None)]
    public void National_setpoints_give_the_expected_level(SensorKind kind, double value, AlarmLevel expected) =>
        Assert.Equal(expected, NationalSetpoints.For(kind).LevelOf(value));

    [Theory]
    [InlineData(SensorKind.H2S, 7.05)]
    [InlineData(SensorKind.CO, 17.2)]
    [InlineData(SensorKind.NH3, 28.2)]
    [InlineData(SensorKind.Cl2, 0.339)]
    public void Exposure_limits_match_the_reference_table_in_ppm(SensorKind kind, double ppm) =>
        Assert.Equal(ppm, NationalSetpoints.OccupationalExposureLimitPpm(kind), tolerance: 0.05);

    [Fact]
    public void Baseline_risk_is_in_unit_interval_and_rises_with_the_value()
    {
        var kinds = Gen.OneOf(SensorKind.CombustibleLel, SensorKind.H2S, SensorKind.CO, SensorKind.O2, SensorKind.Cl2);
        Gen.Select(kinds, Gen.Double[-10, 1000], Gen.Double[0, 500]).Sample((kind, value, delta) =>
        {
            var sp = NationalSetpoints.For(kind);
            var r = sp.BaselineRisk(value);
            Assert.InRange(r, 0, 1);
            if (kind != SensorKind.O2)
            {
                Assert.True(sp.BaselineRisk(value + delta) >= r - 1e-12);
            }
        });
    }

    [Fact]
    public void Second_level_alarm_risk_is_at_least_point_nine() =>
        Assert.True(NationalSetpoints.For(SensorKind.CombustibleLel).BaselineRisk(50) >= 0.9);

    [Theory]
    [InlineData(SensorKind.H2S, "mg/m3", 10, 7.054)]
    [InlineData(SensorKind.Pressure, "MPa", 0.8, 800)]
    [InlineData(SensorKind.Temperature, "degC", 21, 21)]
    public void Units_convert_to_the_canonical_unit(SensorKind kind, string unit, double value, double expected)
    {
        Assert.True(kind.TryToCanonical(unit, value, out var canonical));
        Assert.Equal(expected, canonical, 2);
    }

    [Theory]
    [InlineData(SensorKind.CombustibleLel, "ppm")]
    [InlineData(SensorKind.O2, "%")]
    [InlineData(SensorKind.Temperature, "K")]
    public void Wrong_units_are_refused(SensorKind kind, string unit) =>
        Assert.False(kind.TryToCanonical(unit, 1, out _));
}
