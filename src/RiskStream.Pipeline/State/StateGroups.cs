namespace RiskStream.Pipeline.State;

/// <summary>
/// The consumer groups of the pipeline's own reads of its state and of what it published: assigned partitions,
/// never a subscription nor a commit, but the group ids the ACLs must grant.
/// </summary>
public static class StateGroups
{
    public const string Restore = "riskstream-state-restore";

    public const string Audit = "riskstream-state-audit";
}
