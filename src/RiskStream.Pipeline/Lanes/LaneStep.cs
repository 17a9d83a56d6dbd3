using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.Lanes;

/// <summary>What the handlers of one lane share while it handles a message: the stage reached and the warning events caused.</summary>
/// <remarks>Not thread-safe: one per lane.</remarks>
internal sealed class LaneStep
{
    public ProcessingStage Stage { get; set; }

    /// <summary>Warning events the current message caused, published by the lane once the handler returns.</summary>
    public List<PublishedWarning> Events { get; } = [];
}
