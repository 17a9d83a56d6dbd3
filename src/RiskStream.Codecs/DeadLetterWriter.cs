using System.Security.Cryptography;
using System.Text.Json;
using RiskStream.Core.Contracts;

namespace RiskStream.Codecs;

/// <summary>
/// Writes dead letters (<c>schemas/deadletter.v2.json</c>) that never exceed <see cref="InputLimits.MaxDeadLetterBytes"/>:
/// the detail is cut to a sentence's length, the key to 1 KiB, and the value to the head that fits beside them,
/// with the original's length and SHA-256, so a dead letter of a huge message is still deliverable to any broker.
/// </summary>
/// <remarks>Stateless: safe to share between lanes.</remarks>
public sealed class DeadLetterWriter(InputLimits limits, TimeProvider time)
{
    private const int MaxDetailChars = 1000;
    private const int MaxKeyBytes = 1024;

    /// <summary>Room for the fixed fields, the key and an escaped detail; the value's head gets the rest.</summary>
    private const int Overhead = 4096 + (MaxKeyBytes * 4 / 3) + (MaxDetailChars * 6);

    public byte[] Write(DeadLetterReason reason, string detail, string topic, int partition, long offset, byte[]? key, byte[]? value, string? stage = null, Exception? error = null)
    {
        value ??= [];
        var budget = Math.Max(0, (limits.MaxDeadLetterBytes - Overhead) * 3 / 4);
        var head = value.Length <= budget ? value : value.AsSpan(0, budget).ToArray();
        var letter = new DeadLetter(
            reason,
            ExternalText.Clean(detail.Length == 0 ? reason.Wire() : detail, MaxDetailChars),
            topic,
            partition,
            offset,
            time.GetUtcNow(),
            key is { Length: > MaxKeyBytes } ? key[..MaxKeyBytes] : key,
            head)
        {
            ValueLength = value.Length,
            ValueSha256 = Convert.ToHexStringLower(SHA256.HashData(value)),
            Truncated = head.Length < value.Length,
            Stage = stage,
            Error = error?.GetType().FullName,
        };

        return JsonSerializer.SerializeToUtf8Bytes(letter, ContractJson.Default.DeadLetter);
    }

    /// <summary>The detail of a processing error: what failed and how, in a sentence.</summary>
    public static string ProcessingDetail(string stage, Exception error) =>
        $"{stage} failed: {error.GetType().Name}: {error.Message}";
}
