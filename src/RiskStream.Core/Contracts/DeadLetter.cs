namespace RiskStream.Core.Contracts;

/// <summary>
/// A refused input on <c>riskstream.deadletter</c>: where it came from, why it was refused, and the original key and
/// value bytes (base64), the value cut to its head when the whole would make the dead letter too large (then
/// <see cref="Truncated"/>, with the original's length and SHA-256). Schema: <c>schemas/deadletter.v2.json</c>.
/// </summary>
/// <param name="Value">The original value bytes, or their head when <see cref="Truncated"/>.</param>
public sealed record DeadLetter(
    DeadLetterReason Reason,
    string Detail,
    string Topic,
    int Partition,
    long Offset,
    DateTimeOffset Time,
    byte[]? Key,
    byte[] Value)
{
    /// <summary>Length in bytes of the original value.</summary>
    public int ValueLength { get; init; }

    /// <summary>SHA-256 of the original value, lower-case hex.</summary>
    public string ValueSha256 { get; init; } = "";

    /// <summary><see cref="Value"/> holds only the head of the original value.</summary>
    public bool Truncated { get; init; }

    /// <summary>For <c>processing_error</c>: the stage that failed (decode, score, identify, scenario, render, serialise).</summary>
    public string? Stage { get; init; }

    /// <summary>For <c>processing_error</c>: the exception's type.</summary>
    public string? Error { get; init; }
}
