namespace RiskStream.Kpis;

/// <summary>Where the KPI windows start: 10 minutes and hours from UTC, days from midnight China Standard Time.</summary>
public static class KpiWindows
{
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>The start of the window of <paramref name="size"/> that holds <paramref name="t"/>.</summary>
    public static DateTimeOffset Floor(DateTimeOffset t, TimeSpan size)
    {
        var shift = size == TimeSpan.FromDays(1) ? ChinaOffset : TimeSpan.Zero;
        var ticks = (t.UtcTicks + shift.Ticks) / size.Ticks * size.Ticks;
        return new DateTimeOffset(ticks - shift.Ticks, TimeSpan.Zero);
    }
}
