using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Features;
using RiskStream.Sensors.Windows;

namespace RiskStream.Sensors.Tests;

/// <summary>The feature definition against windows computed by hand.</summary>
public sealed class FeatureTests
{
    private static readonly ParkRegistry Registry = ParkRegistry.FromDocument(new RegistryDocument(
        "t",
        [new("C", "c", "city", null, null)],
        [new("E", "e", null, null, null)],
        [new("S", "s", "E", "C", 30, 121, null, [new("LEL-1", SensorKind.CombustibleLel, new(25, 50, null, null), 1.5), new("LEL-2", SensorKind.CombustibleLel, new(25, 50, null, null), 1.5)])]));

    [Fact]
    public void A_rising_detector_gives_the_hand_computed_features()
    {
        var features = new SensorFeatures(Registry, new WindowOptions { Length = TimeSpan.FromSeconds(60), Panes = 6 });
        var s1 = Registry.Sites["S"].Sensors.First();
        var s2 = Registry.Sites["S"].Sensors.Last();
        var f = new float[FeatureSchema.Count];
        const long t0 = 1_800_000_000_000;

        // The neighbour first: flat at 1.5 then one reading at 13.25 (half a span up).
        features.Observe(s2, 1.5, t0, AlarmLevel.None, f);
        features.Observe(s2, 13.25, t0 + 1000, AlarmLevel.None, f);

        // 1.5, 2.5, ..., 5.5 %LEL one second apart: span = 25 - 1.5 = 23.5.
        for (var i = 0; i < 5; i++)
        {
            features.Observe(s1, 1.5 + i, t0 + (i * 1000), AlarmLevel.None, f);
        }

        const double span = 23.5;
        Assert.Equal(0, f[0]);                                        // alarm: none
        Assert.Equal(4 / span, f[1], 5);                              // excess
        Assert.Equal(2 / span, f[2], 5);                              // mean 3.5
        Assert.Equal(Math.Sqrt(2) / span, f[3], 5);                   // population std of 1.5..5.5
        Assert.Equal(0, f[4], 5);                                     // min at the normal value
        Assert.Equal(4 / span, f[5], 5);                              // max
        Assert.Equal(60 / span, f[6], 4);                             // slope: 1 %LEL/s = 60 %LEL/min
        Assert.Equal(1 / span, f[7], 5);                              // rate: 1 %LEL in 1 s
        Assert.Equal(0, f[8]);                                        // never above the first level
        Assert.Equal(1, f[9]);                                        // 1 s since the previous reading
        Assert.Equal(5, f[10]);                                       // readings in the window
        Assert.Equal(1, f[11]);                                       // the one other sensor is rising (> half a span a minute)
        Assert.Equal(11.75 / span, f[12], 5);                         // its excess
        Assert.Equal(4 / span, f[13], 5);                             // rise: excess - min
        Assert.Equal(FeatureSchema.Count, FeatureSchema.Names.Count);
        Assert.Equal(
            ["alarm", "excess", "std", "since_last_s", "count"],
            new[] { FeatureSchema.Index.Alarm, FeatureSchema.Index.Excess, FeatureSchema.Index.Std, FeatureSchema.Index.SinceLastS, FeatureSchema.Index.Count }.Select(i => FeatureSchema.Names[i]));
    }

    [Fact]
    public void Oxygen_counts_from_normal_air_in_both_directions_and_the_schema_hash_names_the_definition()
    {
        var registry = ParkRegistry.FromDocument(new RegistryDocument(
            "t",
            [new("C", "c", "city", null, null)],
            [new("E", "e", null, null, null)],
            [new("S", "s", "E", "C", 30, 121, null, [new("O2-1", SensorKind.O2, new(null, null, 19.5, 18), 20.9)])]));
        var o2 = registry.Sites["S"].Sensors.First();
        // The national enrichment setpoint (23.5 %vol, second level) sets the span: half the way up to it.
        var (normal, span) = SensorFeatures.Scale(o2);
        Assert.Equal((20.9, 1.3), (normal, Math.Round(span, 6)));
        var features = new SensorFeatures(registry, new WindowOptions());
        var f = new float[FeatureSchema.Count];
        features.Observe(o2, 20.2, 1_800_000_000_000, AlarmLevel.None, f);
        Assert.Equal(-0.7 / 1.3, f[1], 5); // deficiency is a negative excess
        Assert.Matches("^[0-9a-f]{16}$", FeatureSchema.Hash);
    }
}
