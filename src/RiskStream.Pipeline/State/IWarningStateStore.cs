using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.State;

/// <summary>Where warning state is restored from when an instance is assigned a partition.</summary>
public interface IWarningStateStore
{
    /// <summary>The newest record of every key in one partition of the state topic.</summary>
    IReadOnlyList<WarningStateRecord> Load(int partition);
}
