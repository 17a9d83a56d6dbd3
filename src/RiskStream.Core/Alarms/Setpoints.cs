using RiskStream.Core.Contracts;

namespace RiskStream.Core.Alarms;

/// <summary>
/// Alarm setpoints of one sensor in its kind's canonical unit. High setpoints alarm at or above the value, low
/// setpoints (oxygen deficiency) at or below it. A null setpoint never alarms.
/// </summary>
public sealed record Setpoints(double? FirstHigh, double? SecondHigh, double? FirstLow = null, double? SecondLow = null)
{
    /// <summary>No national setpoint applies and none was configured.</summary>
    public static Setpoints None { get; } = new(null, null);

    /// <summary>The level a value reaches.</summary>
    public AlarmLevel LevelOf(double value)
    {
        if (value >= SecondHigh || value <= SecondLow)
        {
            return AlarmLevel.Second;
        }

        if (value >= FirstHigh || value <= FirstLow)
        {
            return AlarmLevel.First;
        }

        return AlarmLevel.None;
    }

    /// <summary>
    /// Baseline risk in [0,1] from the distance to the setpoints: 0.5 at the first-level setpoint, 0.9 at the
    /// second, rising towards 1 beyond it. The ML issue replaces this with a learned probability; this stays the floor.
    /// </summary>
    public double BaselineRisk(double value)
    {
        var risk = 0.0;
        if (SecondHigh is { } second)
        {
            risk = Math.Max(risk, HighRisk(value, FirstHigh ?? second, second));
        }
        else if (FirstHigh is { } first)
        {
            risk = Math.Max(risk, HighRisk(value, first, first * 2));
        }

        if (SecondLow is { } secondLow)
        {
            risk = Math.Max(risk, LowRisk(value, FirstLow ?? secondLow, secondLow));
        }

        return Math.Clamp(risk, 0, 1);
    }

    private static double HighRisk(double value, double first, double second)
    {
        if (value <= 0 || first <= 0)
        {
            return 0;
        }

        if (value < first)
        {
            return 0.5 * value / first;
        }

        if (value < second)
        {
            return 0.5 + (0.4 * (value - first) / (second - first));
        }

        return 0.9 + (0.1 * Math.Min(1, (value - second) / second));
    }

    private static double LowRisk(double value, double first, double second)
    {
        // Oxygen: normal air is 20.9 %vol; risk rises as the value falls towards the deficiency setpoint.
        const double normal = 20.9;
        if (value >= normal)
        {
            return 0;
        }

        if (value > first)
        {
            return 0.5 * (normal - value) / (normal - first);
        }

        if (value > second)
        {
            return 0.5 + (0.4 * (first - value) / Math.Max(first - second, 1e-9));
        }

        return 0.9 + (0.1 * Math.Min(1, (second - value) / second));
    }
}
