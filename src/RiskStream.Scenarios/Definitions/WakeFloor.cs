using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// The least a reading of one kind must show to satisfy any level condition that counts it (in any scenario):
/// a calm reading below every floor can wake no resting scenario, so the engine skips them all.
/// </summary>
public readonly record struct WakeFloor(double Alarm, double Risk, double Ratio, bool Flat, bool Always, double StaleSeconds, bool Anomaly = false, double SilentPeriods = double.PositiveInfinity, double IntactBelow = double.NegativeInfinity)
{
    public static WakeFloor Of(SensorKind kind, IReadOnlyList<ScenarioDefinition> scenarios)
    {
        double alarm = double.PositiveInfinity, risk = double.PositiveInfinity, ratio = double.PositiveInfinity, stale = double.PositiveInfinity, silent = double.PositiveInfinity;
        bool flat = false, always = false, anomaly = false;
        var intactBelow = double.NegativeInfinity;
        foreach (var def in scenarios)
        {
            if (!def.Kinds.Contains(kind))
            {
                continue;
            }

            for (var i = 0; i < def.LevelConditionCount; i++)
            {
                var c = def.AllConditions[i];
                // Site-wide conditions: evaluated when a warning of the site changes and on the clock's tick.
                if (c.Signal is Signal.Identification or Signal.SiteWarning)
                {
                    continue;
                }

                if (c.Signal == Signal.Silent)
                {
                    // Any sensor of the site may fall silent while this one reports.
                    silent = Math.Min(silent, c.AtLeast ?? 0);
                    continue;
                }

                if (c.Signal == Signal.Stale)
                {
                    // Any sensor of the site may go stale while this one reports.
                    stale = Math.Min(stale, c.AtLeast ?? 0);
                    always |= c.AtLeast is null;
                    continue;
                }

                if (!c.Counts(kind))
                {
                    continue;
                }

                if (c is { Signal: Signal.Intact, AtLeast: null, Below: { } below })
                {
                    // A sensor wakes it only while its intact rate is below the bound (healthy sensors are calm).
                    intactBelow = Math.Max(intactBelow, below);
                    continue;
                }

                if (c.Signal == Signal.Intact)
                {
                    // atLeast (with or without below): a healthy sensor may satisfy it; no floor says when.
                    always = true;
                    continue;
                }

                if (c.AtLeast is not { } min)
                {
                    always = true;
                    continue;
                }

                switch (c.Signal)
                {
                    case Signal.Alarm: alarm = Math.Min(alarm, min); break;
                    case Signal.Risk: risk = Math.Min(risk, min); break;
                    case Signal.Ratio: ratio = Math.Min(ratio, min); break;
                    case Signal.Flat: flat |= min <= 1; break;
                    case Signal.Anomaly: anomaly |= min <= 1; break;
                }
            }
        }

        return new WakeFloor(alarm, risk, ratio, flat, always, stale, anomaly, silent, intactBelow);
    }
}
