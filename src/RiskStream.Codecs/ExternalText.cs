using System.Text;

namespace RiskStream.Codecs;

/// <summary>
/// The rule for text that comes from outside and is shown to people or written into other formats (CAP XML, CSV,
/// InfluxDB, the console): bounded in length, and free of characters that break or disguise those formats.
/// </summary>
public static class ExternalText
{
    /// <summary>
    /// Why <paramref name="text"/> is not acceptable as the field named <paramref name="field"/>, or null when it is.
    /// Refused: more than <paramref name="maxChars"/> characters; control characters (C0, DEL, C1), except line breaks
    /// and tabs where <paramref name="multiline"/>; lone UTF-16 surrogates; bidirectional overrides, which make a
    /// name read differently from what it is.
    /// </summary>
    public static string? Problem(string? text, string field, int maxChars, bool multiline = false)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > maxChars)
        {
            return $"{field} is {text.Length} characters long; at most {maxChars} are accepted";
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return $"{field} holds a lone UTF-16 surrogate at character {i}";
            }

            if (multiline && c is '\n' or '\r' or '\t')
            {
                continue;
            }

            if (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return $"{field} holds the control character U+{(int)c:X4} at character {i}";
            }
        }

        return null;
    }

    /// <summary>The text with every character <see cref="Problem"/> refuses replaced by U+FFFD, cut to <paramref name="maxChars"/>.</summary>
    public static string Clean(string text, int maxChars)
    {
        var sb = new StringBuilder(Math.Min(text.Length, maxChars));
        for (var i = 0; i < text.Length && sb.Length < maxChars; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (sb.Length + 2 > maxChars)
                {
                    break;
                }

                sb.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c) || char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                sb.Append('\uFFFD');
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>A short, printable rendering of an untrusted value for a refusal's detail.</summary>
    public static string Quote(ReadOnlySpan<char> value, int maxChars = 64)
    {
        var text = value.Length > maxChars ? string.Concat(value[..maxChars], "…") : value.ToString();
        return Clean(text, maxChars + 1);
    }
}
