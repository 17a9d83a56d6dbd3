using RiskStream.Core.Contracts;

namespace RiskStream.Sensors.Windows;

/// <summary>Shape of the per-sensor event-time window.</summary>
public sealed record WindowOptions
{
    /// <summary>Span of the sliding window.</summary>
    public TimeSpan Length { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Panes the window is cut into; the window slides one pane at a time.</summary>
    public int Panes { get; init; } = 6;

    /// <summary>How far behind the newest reading of its sensor a reading may arrive and still count.</summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (Length < TimeSpan.FromSeconds(1) || Length > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Length), Length, "window length must be 1 s to 1 h");
        }

        if (Panes is < 1 or > 60)
        {
            throw new ArgumentOutOfRangeException(nameof(Panes), Panes, "panes must be 1 to 60");
        }

        if (AllowedLateness < TimeSpan.Zero || AllowedLateness > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(AllowedLateness), AllowedLateness, "allowed lateness must be 0 to the window length");
        }
    }
}
