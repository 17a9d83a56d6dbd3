using RiskStream.Scenarios;
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

    /// <summary>How far ahead of the clock a reading's timestamp may be.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromHours(1);

    public WindowOptions Window { get; init; } = new();

    public SetpointWarningOptions Warnings { get; init; } = new();

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

        if (MaxFutureSkew < TimeSpan.Zero || MaxFutureSkew > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFutureSkew), MaxFutureSkew, "RiskStream:Pipeline:MaxFutureSkew must be 0 to 1 day");
        }

        if (DrainTimeout < TimeSpan.Zero || DrainTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(DrainTimeout), DrainTimeout, "RiskStream:Pipeline:DrainTimeout must be 0 to 10 min");
        }

        Window.Validate();
        Warnings.Validate();
    }
}
