namespace RiskStream.Codecs;

/// <summary>
/// Limits on what the pipeline accepts from outside and on what it writes back (DESIGN.md, "Hard limits on bad
/// input"): beyond them an input is a dead letter with its reason, never a crash.
/// </summary>
public sealed record InputLimits
{
    /// <summary>Largest reading message accepted, in bytes; larger ones are dead-lettered as oversized.</summary>
    public int MaxReadingBytes { get; init; } = 64 * 1024;

    /// <summary>Largest spectrum message accepted, in bytes (16,384 points with their wavenumbers fit in 1 MiB).</summary>
    public int MaxSpectrumBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest acknowledgement message accepted, in bytes.</summary>
    public int MaxAckBytes { get; init; } = 64 * 1024;

    /// <summary>How far ahead of the clock an input's timestamp may be.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How far behind the clock an input's timestamp may be; older ones are dead-lettered as too old.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Longest free text accepted from outside (an acknowledgement's text), in characters.</summary>
    public int MaxTextChars { get; init; } = 2000;

    /// <summary>Longest name accepted from outside (who acknowledged, a spectrum's device and sample), in characters.</summary>
    public int MaxNameChars { get; init; } = 128;

    /// <summary>Largest dead letter written, in bytes: beyond it the original value is cut to its head.</summary>
    public int MaxDeadLetterBytes { get; init; } = 64 * 1024;
}
