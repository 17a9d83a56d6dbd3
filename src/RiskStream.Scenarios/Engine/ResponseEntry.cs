using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Engine;

/// <summary>One audience's part in a warning (kept in its state record): notified when it first became an audience, then received and acknowledged.</summary>
public sealed record ResponseEntry(Party Party, ResponseRole Role, long NotifiedMs)
{
    public long? ReceivedMs { get; init; }

    public long? AcknowledgedMs { get; init; }
}
