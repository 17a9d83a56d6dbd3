using System.Globalization;

namespace RiskStream.Raman.Formats;

/// <summary>
/// Reads JCAMP-DX 4.24: labelled data records (labels compared without spaces, dashes, slashes and underscores, in
/// upper case), <c>$$</c> comments, <c>##XYDATA=(X++(Y..Y))</c> in AFFN and the compressed ASDF forms (SQZ, DIF with
/// its Y check value, DUP), <c>##XYPOINTS=(XY..XY)</c> and <c>##PEAK TABLE=(XY..XY)</c> or <c>(XYW..XYW)</c>, scaled by XFACTOR and YFACTOR,
/// with FIRSTX, LASTX and NPOINTS checked against what was read.
/// </summary>
public static class Jcamp
{
    public static JcampSpectrum Parse(string text, string source = "spectrum")
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        List<(int Line, string Text)>? table = null;
        var tables = new List<(string Kind, int Line, List<(int, string)> Rows)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = StripComment(lines[i]);
            if (line.StartsWith("##", StringComparison.Ordinal))
            {
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    throw new JcampException($"{source}:{i + 1}: a labelled data record needs '=' ({line.Trim()})");
                }

                var label = Normalise(line[2..eq]);
                var value = line[(eq + 1)..].Trim();
                table = null;
                if (label is "XYDATA" or "XYPOINTS" or "PEAKTABLE")
                {
                    table = [];
                    tables.Add((label + value.Replace(" ", "", StringComparison.Ordinal), i + 1, table));
                }
                else if (label == "END")
                {
                    break;
                }
                else if (!headers.TryAdd(label, value))
                {
                    headers[label] = value;
                }
            }
            else if (table is not null)
            {
                if (line.Trim().Length > 0)
                {
                    table.Add((i + 1, line));
                }
            }
            else if (line.Trim().Length > 0 && headers.Count > 0)
            {
                // Continuation of the previous record's value (e.g. a long title).
                var last = headers.Keys.Last();
                headers[last] = headers[last] + "\n" + line.Trim();
            }
        }

        if (!headers.ContainsKey("TITLE"))
        {
            throw new JcampException($"{source}:1: ##TITLE= is missing (every JCAMP-DX block starts with it)");
        }

        double xFactor = Number(headers, "XFACTOR", source, 1), yFactor = Number(headers, "YFACTOR", source, 1);
        double[] x = [], y = [];
        var peaks = new List<Peak>();
        foreach (var (kind, line, rows) in tables)
        {
            switch (kind)
            {
                case "XYDATA(X++(Y..Y))":
                    (x, y) = XyData(rows, headers, xFactor, yFactor, source, line);
                    break;
                case "XYPOINTS(XY..XY)":
                    var points = Groups(rows, 2, source);
                    x = points.Select(p => p[0] * xFactor).ToArray();
                    y = points.Select(p => p[1] * yFactor).ToArray();
                    break;
                case "PEAKTABLE(XY..XY)":
                    peaks.AddRange(Groups(rows, 2, source).Select(p => new Peak(p[0] * xFactor, p[1] * yFactor)));
                    break;
                case "PEAKTABLE(XYW..XYW)":
                    peaks.AddRange(Groups(rows, 3, source).Select(p => new Peak(p[0] * xFactor, p[1] * yFactor, p[2] * xFactor)));
                    break;
                default:
                    throw new JcampException($"{source}:{line}: table form '{kind}' is not supported (XYDATA=(X++(Y..Y)), XYPOINTS=(XY..XY), PEAK TABLE=(XY..XY) or (XYW..XYW))");
            }
        }

        if (x.Length == 0 && peaks.Count == 0)
        {
            throw new JcampException($"{source}:{lines.Length}: no ##XYDATA, ##XYPOINTS or ##PEAK TABLE");
        }

        return new JcampSpectrum(headers, x, y, peaks);
    }

    private static (double[] X, double[] Y) XyData(List<(int Line, string Text)> rows, Dictionary<string, string> headers, double xFactor, double yFactor, string source, int line)
    {
        foreach (var required in new[] { "FIRSTX", "LASTX", "NPOINTS" })
        {
            if (!headers.ContainsKey(required))
            {
                throw new JcampException($"{source}:{line}: ##XYDATA needs ##{required}");
            }
        }

        var firstX = Number(headers, "FIRSTX", source, 0);
        var lastX = Number(headers, "LASTX", source, 0);
        var count = (int)Number(headers, "NPOINTS", source, 0);
        if (count < 1)
        {
            throw new JcampException($"{source}:{line}: ##NPOINTS must be at least 1");
        }

        var delta = count > 1 ? (lastX - firstX) / (count - 1) : 0;
        var ys = new List<double>(count);
        double? checkValue = null;
        foreach (var (number, text) in rows)
        {
            var (values, endedInDif) = Decode(text, source, number);
            if (values.Count < 1)
            {
                continue;
            }

            // The abscissa that starts the line must agree with the points read so far (within half a step).
            var lineX = values[0] * xFactor;
            var expected = firstX + (ys.Count - (checkValue is null ? 0 : 1)) * delta;
            if (count > 1 && Math.Abs(lineX - expected) > Math.Abs(delta) / 2 + 1e-9)
            {
                throw new JcampException($"{source}:{number}: line starts at x = {lineX.ToString(CultureInfo.InvariantCulture)}, expected {expected.ToString(CultureInfo.InvariantCulture)}");
            }

            var yValues = values.Skip(1).ToList();
            if (checkValue is { } check && yValues.Count > 0)
            {
                // DIF form: the first Y of a line repeats the last Y of the previous one (the Y check).
                if (Math.Abs(yValues[0] - check) > 1e-6 * Math.Max(1, Math.Abs(check)))
                {
                    throw new JcampException($"{source}:{number}: Y check value {yValues[0].ToString(CultureInfo.InvariantCulture)} does not repeat the previous line's last value {check.ToString(CultureInfo.InvariantCulture)}");
                }

                yValues.RemoveAt(0);
            }

            ys.AddRange(yValues);
            checkValue = endedInDif ? yValues.Count > 0 ? yValues[^1] : checkValue : null;
        }

        if (ys.Count != count)
        {
            throw new JcampException($"{source}:{line}: ##NPOINTS={count} but the table holds {ys.Count} values");
        }

        var x = new double[count];
        var y = new double[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = firstX + i * delta;
            y[i] = ys[i] * yFactor;
        }

        return (x, y);
    }

    /// <summary>
    /// One line of ASDF/AFFN: the numbers it stands for (abscissa first) and whether its last value was written
    /// in DIF form (then the next line starts by repeating it).
    /// </summary>
    internal static (List<double> Values, bool EndedInDif) Decode(string text, string source, int line)
    {
        var values = new List<double>();
        var i = 0;
        var lastWasDif = false;
        double? lastDelta = null;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or ',' or ';')
            {
                i++;
                continue;
            }

            if (c is '+' or '-' or '.' || char.IsAsciiDigit(c))
            {
                var start = i;
                i++;
                while (i < text.Length)
                {
                    if (char.IsAsciiDigit(text[i]) || text[i] == '.')
                    {
                        i++;
                    }
                    else if (text[i] is 'E' or 'e' && i + 1 < text.Length && text[i + 1] is '+' or '-')
                    {
                        // An AFFN exponent is written with its sign (1.5E+02): a bare E or e is the SQZ digit 5.
                        i += 2;
                    }
                    else
                    {
                        break;
                    }
                }

                values.Add(ParseNumber(text[start..i], source, line));
                lastWasDif = false;
                lastDelta = null;
                continue;
            }

            var (kind, digit) = Classify(c);
            if (kind == Token.None)
            {
                throw new JcampException($"{source}:{line}: '{c}' is neither a number nor an ASDF character");
            }

            var end = i + 1;
            while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
            {
                end++;
            }

            var rest = text[(i + 1)..end];
            var magnitude = ParseNumber(Math.Abs(digit).ToString(CultureInfo.InvariantCulture) + rest, source, line);
            var signed = digit < 0 ? -magnitude : magnitude;
            i = end;
            switch (kind)
            {
                case Token.Sqz:
                    values.Add(signed);
                    lastWasDif = false;
                    lastDelta = null;
                    break;
                case Token.Dif:
                    if (values.Count == 0)
                    {
                        throw new JcampException($"{source}:{line}: a DIF value with nothing before it");
                    }

                    values.Add(values[^1] + signed);
                    lastWasDif = true;
                    lastDelta = signed;
                    break;
                case Token.Dup:
                    if (values.Count == 0)
                    {
                        throw new JcampException($"{source}:{line}: a DUP count with nothing to repeat");
                    }

                    var repeats = (int)magnitude - 1;
                    for (var r = 0; r < repeats; r++)
                    {
                        values.Add(lastDelta is { } d ? values[^1] + d : values[^1]);
                    }

                    break;
            }
        }

        return (values, lastWasDif);
    }

    private enum Token
    {
        None,
        Sqz,
        Dif,
        Dup,
    }

    private static (Token Kind, int Digit) Classify(char c) => c switch
    {
        '@' => (Token.Sqz, 0),
        >= 'A' and <= 'I' => (Token.Sqz, c - 'A' + 1),
        >= 'a' and <= 'i' => (Token.Sqz, -(c - 'a' + 1)),
        '%' => (Token.Dif, 0),
        >= 'J' and <= 'R' => (Token.Dif, c - 'J' + 1),
        >= 'j' and <= 'r' => (Token.Dif, -(c - 'j' + 1)),
        >= 'S' and <= 'Z' => (Token.Dup, c - 'S' + 1),
        's' => (Token.Dup, 9),
        _ => (Token.None, 0),
    };

    /// <summary>Groups of <paramref name="arity"/> numbers (x, y or x, y, w), separated by semicolons or by spaces.</summary>
    private static List<double[]> Groups(List<(int Line, string Text)> rows, int arity, string source)
    {
        var result = new List<double[]>();
        foreach (var (line, text) in rows)
        {
            foreach (var group in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = group.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                // A group is one tuple, or several tuples separated by spaces; the XY form tolerates an extra width.
                var step = parts.Length % arity == 0 ? arity : arity == 2 && parts.Length == 3 ? 3 : -1;
                if (step < 0)
                {
                    throw new JcampException($"{source}:{line}: '{group}' is not {(arity == 2 ? "an x, y pair" : "an x, y, w triple")}");
                }

                for (var k = 0; k + arity - 1 < parts.Length; k += step)
                {
                    var tuple = new double[arity];
                    for (var j = 0; j < arity; j++)
                    {
                        tuple[j] = ParseNumber(parts[k + j], source, line);
                    }

                    result.Add(tuple);
                }
            }
        }

        return result;
    }

    private static double ParseNumber(string text, string source, int line) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new JcampException($"{source}:{line}: '{text}' is not a number");

    private static double Number(Dictionary<string, string> headers, string label, string source, double @default) =>
        !headers.TryGetValue(label, out var text) ? @default
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v
        : throw new JcampException($"{source}: ##{label}={text} is not a number");

    private static string StripComment(string line)
    {
        var at = line.IndexOf("$$", StringComparison.Ordinal);
        return at < 0 ? line : line[..at];
    }

    /// <summary>Labels compare without spaces, dashes, slashes and underscores, in upper case (JCAMP-DX 4.24).</summary>
    public static string Normalise(string label) =>
        string.Concat(label.Where(c => c is not (' ' or '-' or '/' or '_' or '\t'))).ToUpperInvariant();
}
