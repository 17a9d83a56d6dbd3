namespace RiskStream.Core.Contracts;

/// <summary>
/// Obligation-based assistance asked of an enterprise engaged by a jurisdiction for a capability (by government
/// purchase or as a project), and where the request stands: one enterprise at a time per capability, the nearest
/// first; a decline or no answer in time moves it to the next.
/// </summary>
public sealed record AssistanceRequest(string Capability, string Enterprise, string EngagedBy, string Basis, string Request)
{
    public AssistanceStatus? Status { get; init; }

    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>An answer is due by then; no answer moves the request on.</summary>
    public DateTimeOffset? AnswerDueAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>Accepted: the expected time of arrival.</summary>
    public DateTimeOffset? Eta { get; init; }

    /// <summary>Who answered, and why a decline.</summary>
    public string? By { get; init; }

    public string? Text { get; init; }
}
