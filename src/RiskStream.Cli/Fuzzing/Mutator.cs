using System.Text;

namespace RiskStream.Cli.Fuzzing;

/// <summary>
/// Makes fuzz cases from valid documents: byte-level mutations (flips, interesting bytes, deletions, duplications,
/// splices from another seed), insertions of tokens that have broken parsers before (lone surrogates, NaN, huge
/// numbers and counts, control characters, deep nesting), and now and then raw random bytes. Deterministic for a seed.
/// </summary>
/// <remarks>Not thread-safe: one per target run.</remarks>
internal sealed class Mutator(IReadOnlyList<byte[]> seeds, int seed)
{
    private static readonly byte[] InterestingBytes = [0, 1, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xED, 0xF0, 0xF4, 0xFF, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'-', (byte)'.', (byte)'e', (byte)'0', (byte)'9', (byte)' ', (byte)'\n', (byte)'\t', (byte)'#', (byte)'=', (byte)'@', (byte)'Z', (byte)'%'];

    private static readonly string[] Tokens =
    [
        "\\ud800", "\\udc00X", "\\u0000", "\\u202e", "\u0001", "\u202e", "NaN", "Infinity", "-Infinity", "1e308", "-1e308", "1e-320",
        "1e400", "99999999999999999999999", "-0", "null", "true", "[]", "{}", "\"\"", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":", "2147483648", "-2147483649", "1e12", "0.5",
        "##NPOINTS=1e12\n", "##XYDATA=(X++(Y..Y))\n", "Z99999999999", "s9999999", "@@@@", "%%%%", "##END=\n", "$$",
        "*a", "&a", "!!binary", "? ", "- - - -", "{{", "}}", ": :", "'", "\r\n", "\t\t", "T", "+08:00", "2026-02-30T25:61:61Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1e300s", "-5s", "60", "%LEL", "°C", "mg/m³",
    ];

    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        if (_random.Next(16) == 0)
        {
            var raw = new byte[_random.Next(0, 2048)];
            _random.NextBytes(raw);
            return raw;
        }

        var data = new List<byte>(seeds[_random.Next(seeds.Count)]);
        var steps = 1 + _random.Next(_random.Next(2) == 0 ? 2 : 8);
        for (var i = 0; i < steps; i++)
        {
            Mutate(data);
        }

        return [.. data];
    }

    private void Mutate(List<byte> data)
    {
        var at = data.Count == 0 ? 0 : _random.Next(data.Count);
        switch (_random.Next(8))
        {
            case 0 when data.Count > 0:
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[at] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                break;
            case 2 when data.Count > 0:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(32)));
                break;
            case 3 when data.Count > 0:
                var length = Math.Min(data.Count - at, 1 + _random.Next(64));
                data.InsertRange(at, data.GetRange(at, length));
                break;
            case 4:
                var other = seeds[_random.Next(seeds.Count)];
                if (other.Length > 0)
                {
                    var from = _random.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + _random.Next(128))).ToArray());
                }

                break;
            case 5:
                // Replace a number (or the text after a colon) with an interesting token.
                ReplaceValue(data, Tokens[_random.Next(Tokens.Length)]);
                break;
            case 6:
                var repeat = _random.Next(4) == 0 ? 5_000 : 1 + _random.Next(8);
                var token = Encoding.UTF8.GetBytes(Tokens[_random.Next(Tokens.Length)]);
                for (var r = 0; r < repeat && data.Count < 1 << 20; r++)
                {
                    data.InsertRange(at, token);
                }

                break;
            default:
                data.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[_random.Next(Tokens.Length)]));
                break;
        }
    }

    private void ReplaceValue(List<byte> data, string token)
    {
        var colon = data.Count == 0 ? -1 : data.IndexOf((byte)':', _random.Next(data.Count));
        if (colon < 0)
        {
            data.AddRange(Encoding.UTF8.GetBytes(token));
            return;
        }

        var end = colon + 1;
        while (end < data.Count && data[end] is not ((byte)',' or (byte)'}' or (byte)'\n' or (byte)']'))
        {
            end++;
        }

        data.RemoveRange(colon + 1, end - colon - 1);
        data.InsertRange(colon + 1, Encoding.UTF8.GetBytes(token));
    }
}
