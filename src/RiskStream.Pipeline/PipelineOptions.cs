using RiskStream.Codecs;
using RiskStream.Sensors.Windows;

namespace RiskStream.Pipeline;

/// <summary>Options of the scoring pipeline (configuration section <c>RiskStream:Pipeline</c>).</summary>
public sealed record PipelineOptions
{
    /// <summary>Consumer group of the pipeline.</summary>
    public string GroupId { get; init; } = "riskstream";

    /// <summary>Parallel lanes; a site's readings always go to the same lane.</summary>
    public int Lanes { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Limits on what is accepted from outside and on dead letters.</summary>
    public InputLimits Input { get; init; } = new();

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
