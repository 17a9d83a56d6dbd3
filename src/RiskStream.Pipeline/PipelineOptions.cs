using RiskStream.Sensors.Windows;

namespace RiskStream.Pipeline;

/// <summary>Options of the scoring pipeline (configuration section <c>RiskStream:Pipeline</c>).</summary>
public sealed record PipelineOptions
{
    /// <summary>Consumer group of the pipeline.</summary>
    public string GroupId { get; init; } = "riskstream";

    /// <summary>Parallel lanes; a site's readings always go to the same lane.</summary>
    public int Lanes { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Largest reading message accepted, in bytes; larger ones are dead-lettered as oversized.</summary>
    public int MaxReadingBytes { get; init; } = 64 * 1024;

    /// <summary>Largest spectrum message accepted, in bytes (16,384 points with their wavenumbers fit in 1 MiB).</summary>
    public int MaxSpectrumBytes { get; init; } = 1024 * 1024;

    /// <summary>How far ahead of the clock a reading's timestamp may be.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromHours(1);

    public WindowOptions Window { get; init; } = new();

    /// <summary>How often (event time, per site) the state of active warnings is written again to the state topic.</summary>
    public TimeSpan StateRepublishInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest a lane may take to restore one partition's warning state before the pipeline fails (and restarts).</summary>
    public TimeSpan StateRestoreTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a drain on shutdown may take before the consumer closes anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(GroupId))
        {
            throw new ArgumentException("RiskStream:Pipeline:GroupId must not be empty");
        }

        if (Lanes is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(Lanes), Lanes, "RiskStream:Pipeline:Lanes must be 1 to 64");
        }

        if (MaxReadingBytes is < 256 or > 4 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReadingBytes), MaxReadingBytes, "RiskStream:Pipeline:MaxReadingBytes must be 256 to 4194304");
        }

        if (MaxSpectrumBytes is < 1024 or > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSpectrumBytes), MaxSpectrumBytes, "RiskStream:Pipeline:MaxSpectrumBytes must be 1024 to 16777216");
        }

        if (MaxFutureSkew < TimeSpan.Zero || MaxFutureSkew > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFutureSkew), MaxFutureSkew, "RiskStream:Pipeline:MaxFutureSkew must be 0 to 1 day");
        }

        if (DrainTimeout < TimeSpan.Zero || DrainTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(DrainTimeout), DrainTimeout, "RiskStream:Pipeline:DrainTimeout must be 0 to 10 min");
        }

        if (StateRepublishInterval < TimeSpan.Zero || StateRepublishInterval > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(StateRepublishInterval), StateRepublishInterval, "RiskStream:Pipeline:StateRepublishInterval must be 0 (never) to 1 day");
        }

        if (StateRestoreTimeout < TimeSpan.FromSeconds(1) || StateRestoreTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(StateRestoreTimeout), StateRestoreTimeout, "RiskStream:Pipeline:StateRestoreTimeout must be 1 s to 10 min");
        }

        Window.Validate();
    }
}
