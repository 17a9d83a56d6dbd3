namespace RiskStream.Core.Registry;

/// <summary>
/// A sensor's reporting periods as data quality counts them (HJ 212-2017: each expected period gets one flag): each
/// UTC hour holds <see cref="PerHour"/> periods from its start, the last one taking the hour's remainder. The KPI job's
/// data quality and the pipeline's report by exception share this, so that a score published "first of its period"
/// lands in the period the KPI counts.
/// </summary>
public static class ReportingPeriods
{
    public static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Periods of <paramref name="period"/> counted in one hour (at least one).</summary>
    public static int PerHour(TimeSpan period) => (int)Math.Max(1, Hour.Ticks / period.Ticks);

    /// <summary>The period within its hour of a time <paramref name="sinceHour"/> after the hour's start.</summary>
    public static int InHour(TimeSpan sinceHour, TimeSpan period) => (int)Math.Min(PerHour(period) - 1, sinceHour.Ticks / period.Ticks);

    /// <summary>A number for the period that holds <paramref name="tsMs"/> (Unix ms): equal for times in the same period.</summary>
    public static long Of(long tsMs, TimeSpan period)
    {
        const long hourMs = 3_600_000;
        var hour = Math.DivRem(tsMs, hourMs, out var rest);
        if (rest < 0)
        {
            hour--;
            rest += hourMs;
        }

        return (hour * PerHour(period)) + InHour(TimeSpan.FromMilliseconds(rest), period);
    }
}
