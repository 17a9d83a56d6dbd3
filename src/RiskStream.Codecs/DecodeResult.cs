using RiskStream.Core.Contracts;

namespace RiskStream.Codecs;

/// <summary>The outcome of decoding one reading: a valid reading, or the reason it is refused.</summary>
public readonly record struct DecodeResult(ValidReading Reading, DeadLetterReason? Reason, string? Detail)
{
    public bool IsValid => Reason is null;

    public static DecodeResult Refused(DeadLetterReason reason, string detail) => new(default, reason, detail);
}
