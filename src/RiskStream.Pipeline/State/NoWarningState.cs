using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.State;

/// <summary>Nothing to restore (a single instance that starts afresh, and unit tests).</summary>
internal sealed class NoWarningState : IWarningStateStore
{
    public static NoWarningState Instance { get; } = new();

    public IReadOnlyList<WarningStateRecord> Load(int partition) => [];
}
