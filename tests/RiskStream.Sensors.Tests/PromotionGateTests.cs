using RiskStream.Sensors.Models;

namespace RiskStream.Sensors.Tests;

/// <summary>The promotion gate: a candidate passes unless a figure is worse than the served model's beyond its tolerance.</summary>
public sealed class PromotionGateTests
{
    private static readonly PromotionFigures Served = new(0.9866, 0.47, 36, 0.984);
    private static readonly PromotionTolerances Tolerances = new(0.005, 0.25, 2);

    [Theory]
    [InlineData(0.9866, 0.47, 36, "")]                     // the same
    [InlineData(0.9817, 0.72, 34, "")]                     // worse, each within its tolerance (0.0049, +0.25, -2 s)
    [InlineData(0.9990, 0.00, 50, "")]                     // better
    [InlineData(0.9815, 0.47, 36, "PR-AUC 0.9815 is 0.0051 below the served 0.9866")]
    [InlineData(0.9866, 0.73, 36, "0.730 false warnings per 1,000 sensor-hours against the served 0.470")]
    [InlineData(0.9866, 0.47, 33.9, "median lead on leak ramps 33.9 s against the served 36.0 s")]
    public void A_candidate_is_refused_only_for_a_figure_worse_beyond_its_tolerance(double prAuc, double falseWarnings, double lead, string reason)
    {
        var reasons = PromotionGate.Reasons(new PromotionFigures(prAuc, falseWarnings, lead, 0.5), Served, Tolerances);
        if (reason.Length == 0)
        {
            Assert.Empty(reasons);
        }
        else
        {
            Assert.StartsWith(reason, Assert.Single(reasons), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_figure_worse_gives_every_reason()
    {
        Assert.Equal(3, PromotionGate.Reasons(new PromotionFigures(0.9, 5, 10, 1), Served, Tolerances).Count);
    }

    [Fact]
    public void Data_without_hazards_or_leak_ramps_cannot_pass_a_candidate()
    {
        var reason = Assert.Single(PromotionGate.Reasons(new PromotionFigures(0, 0, 0, 1) { Positives = 0, LeakRamps = 0 }, new PromotionFigures(0, 0, 0, 1) { Positives = 0, LeakRamps = 0 }, Tolerances));
        Assert.Contains("cannot be judged", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026.12.02-1", true)]
    [InlineData("cand_2", true)]
    [InlineData("../../etc", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void A_version_name_is_one_folder_of_the_registry(string version, bool valid)
    {
        var registry = new ModelRegistry("/models");
        Assert.Equal(valid, ModelRegistry.IsVersionName(version));
        if (!valid)
        {
            Assert.Throws<ModelRefusedException>(() => registry.Folder("risk", version));
        }
    }
}
