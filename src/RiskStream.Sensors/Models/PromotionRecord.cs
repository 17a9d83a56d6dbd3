namespace RiskStream.Sensors.Models;

/// <summary>
/// One run of the promotion gate: a candidate and the model it would replace, evaluated on the same held-out data,
/// each figure against its tolerance; the candidate passes only if none is worse beyond it.
/// </summary>
/// <param name="Against">The served model it was compared with (name/version).</param>
/// <param name="Data">The held-out data's file name and SHA-256.</param>
public sealed record PromotionRecord(string Against, string Data, string DataSha256, DateTimeOffset Evaluated, PromotionFigures Candidate, PromotionFigures Served, PromotionTolerances Tolerances, bool Passed, IReadOnlyList<string> Reasons)
{
    /// <summary>The shadow's agreement with the served model over recorded traffic (share of readings whose hazard decisions agreed), when it ran as the shadow.</summary>
    public double? ShadowAgreement { get; init; }

    public long? ShadowReadings { get; init; }
}

/// <summary>The figures the gate compares (from <c>riskstream evaluate</c>).</summary>
public sealed record PromotionFigures(double PrAuc, double FalseWarningsPer1000SensorHours, double MedianLeadSecondsLeakRamp, double FaultsAsHealthShare)
{
    /// <summary>Hazardous rows and leak ramps reaching the second-level alarm in the data: without them PR-AUC and lead measure nothing.</summary>
    public long Positives { get; init; } = 1;

    public int LeakRamps { get; init; } = 1;

    public static PromotionFigures Of(RiskEvaluation e) => new(Math.Round(e.PrAuc, 4), Math.Round(e.FalseAlarmsPer1000SensorHours, 3), Math.Round(e.MedianLeadSecondsLeakRamp, 1), Math.Round(e.FaultsAsHealthShare, 4))
    {
        Positives = e.Positives,
        LeakRamps = e.LeadTimes.Count(l => l.Event == "leak_ramp"),
    };
}

/// <summary>How much worse than the served model a candidate may be on each figure.</summary>
public sealed record PromotionTolerances(double PrAucDrop, double FalseWarningsRise, double LeadDropSeconds);

/// <summary>The gate's judgement.</summary>
public static class PromotionGate
{
    /// <summary>Why the candidate is worse beyond a tolerance (empty: it passes).</summary>
    public static IReadOnlyList<string> Reasons(PromotionFigures candidate, PromotionFigures served, PromotionTolerances t)
    {
        var reasons = new List<string>();
        if (candidate.Positives == 0 || candidate.LeakRamps == 0)
        {
            // Average precision and the median lead of nothing are 0 for both: a pass would mean nothing.
            reasons.Add($"the data has {candidate.Positives} hazardous rows and {candidate.LeakRamps} leak ramps reaching the second-level alarm: PR-AUC and lead time cannot be judged on it (give held-out data with hazards)");
            return reasons;
        }

        if (candidate.PrAuc < served.PrAuc - t.PrAucDrop)
        {
            reasons.Add(FormattableString.Invariant($"PR-AUC {candidate.PrAuc:F4} is {served.PrAuc - candidate.PrAuc:F4} below the served {served.PrAuc:F4} (tolerance {t.PrAucDrop})"));
        }

        if (candidate.FalseWarningsPer1000SensorHours > served.FalseWarningsPer1000SensorHours + t.FalseWarningsRise)
        {
            reasons.Add(FormattableString.Invariant($"{candidate.FalseWarningsPer1000SensorHours:F3} false warnings per 1,000 sensor-hours against the served {served.FalseWarningsPer1000SensorHours:F3} (tolerance +{t.FalseWarningsRise})"));
        }

        if (candidate.MedianLeadSecondsLeakRamp < served.MedianLeadSecondsLeakRamp - t.LeadDropSeconds)
        {
            reasons.Add(FormattableString.Invariant($"median lead on leak ramps {candidate.MedianLeadSecondsLeakRamp:F1} s against the served {served.MedianLeadSecondsLeakRamp:F1} s (tolerance -{t.LeadDropSeconds} s)"));
        }

        return reasons;
    }
}
