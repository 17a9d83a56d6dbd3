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
    /// <summary>Most points one table may hold: beyond it a file (or a hostile NPOINTS or DUP count) is refused, not allocated.</summary>
    public const int MaxPoints = 1 << 20;

    /// <summary>Longest JCAMP-DX text read.</summary>
    public const int MaxChars = 64 * 1024 * 1024;

    public static JcampSpectrum Parse(string text, string source = "spectrum")
    {
        if (text.Length > MaxChars)
        {
            throw new JcampException($"{source}: {text.Length} characters; a JCAMP-DX file is at most {MaxChars}");
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var (headers, tables) = Records(lines, source);
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
                    x = points.Select(p => Finite(p[0] * xFactor, source, line)).ToArray();
                    y = points.Select(p => Finite(p[1] * yFactor, source, line)).ToArray();
                    break;
                case "PEAKTABLE(XY..XY)":
                    peaks.AddRange(Groups(rows, 2, source).Select(p => new Peak(Finite(p[0] * xFactor, source, line), Finite(p[1] * yFactor, source, line))));
                    break;
                case "PEAKTABLE(XYW..XYW)":
                    peaks.AddRange(Groups(rows, 3, source).Select(p => new Peak(Finite(p[0] * xFactor, source, line), Finite(p[1] * yFactor, source, line), Finite(p[2] * xFactor, source, line))));
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

    /// <summary>The labelled data records up to <c>##END=</c>: header values, and the rows of each table.</summary>
    private static (Dictionary<string, string> Headers, List<(string Kind, int Line, List<(int, string)> Rows)> Tables) Records(string[] lines, string source)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
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
                else
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

        return (headers, tables);
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
        var points = Number(headers, "NPOINTS", source, 0);
        if (points < 1 || points > MaxPoints || points != Math.Floor(points))
        {
            throw new JcampException($"{source}:{line}: ##NPOINTS={headers["NPOINTS"]} must be a whole number from 1 to {MaxPoints}");
        }

        var count = (int)points;

        var delta = count > 1 ? (lastX - firstX) / (count - 1) : 0;
        var ys = new List<double>(count);
        double? checkValue = null;
        foreach (var (number, text) in rows)
        {
            var (values, endedInDif) = Decode(text, source, number, MaxPoints - ys.Count + 2);
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

            if (ys.Count + yValues.Count > count)
            {
                throw new JcampException($"{source}:{number}: the table holds more than ##NPOINTS={count} values");
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
            y[i] = Finite(ys[i] * yFactor, source, line);
        }

        return (x, y);
    }

    /// <summary>
    /// One line of ASDF/AFFN: the numbers it stands for (abscissa first) and whether its last value was written
    /// in DIF form (then the next line starts by repeating it). At most <paramref name="limit"/> values: a DUP count
    /// beyond it is refused rather than allocated.
    /// </summary>
    internal static (List<double> Values, bool EndedInDif) Decode(string text, string source, int line, int limit = MaxPoints)
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
            }
            else if (c is '+' or '-' or '.' || char.IsAsciiDigit(c))
            {
                values.Add(Affn(text, ref i, source, line));
                lastWasDif = false;
                lastDelta = null;
            }
            else
            {
                lastWasDif = Asdf(text, ref i, values, ref lastDelta, source, line, limit);
            }

            if (values.Count > limit)
            {
                throw new JcampException($"{source}:{line}: more than {MaxPoints} values");
            }
        }

        return (values, lastWasDif);
    }

    /// <summary>An AFFN number from <paramref name="i"/>; an exponent is written with its sign (a bare E is the SQZ digit 5).</summary>
    private static double Affn(string text, ref int i, string source, int line)
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
                i += 2;
            }
            else
            {
                break;
            }
        }

        return ParseNumber(text[start..i], source, line);
    }

    /// <summary>One ASDF token (SQZ, DIF or DUP) from <paramref name="i"/>, applied to <paramref name="values"/>; returns whether it was DIF.</summary>
    private static bool Asdf(string text, ref int i, List<double> values, ref double? lastDelta, string source, int line, int limit)
    {
        var c = text[i];
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

        var magnitude = ParseNumber(Math.Abs(digit).ToString(CultureInfo.InvariantCulture) + text[(i + 1)..end], source, line);
        var signed = digit < 0 ? -magnitude : magnitude;
        i = end;
        switch (kind)
        {
            case Token.Sqz:
                values.Add(signed);
                lastDelta = null;
                return false;
            case Token.Dif:
                if (values.Count == 0)
                {
                    throw new JcampException($"{source}:{line}: a DIF value with nothing before it");
                }

                values.Add(Finite(values[^1] + signed, source, line));
                lastDelta = signed;
                return true;
            default:
                if (values.Count == 0)
                {
                    throw new JcampException($"{source}:{line}: a DUP count with nothing to repeat");
                }

                if (magnitude != Math.Floor(magnitude) || magnitude - 1 > limit - values.Count)
                {
                    throw new JcampException($"{source}:{line}: a DUP count of {magnitude.ToString(CultureInfo.InvariantCulture)} repeats beyond the {MaxPoints} values a table may hold");
                }

                for (var r = 0; r < (int)magnitude - 1; r++)
                {
                    values.Add(Finite(lastDelta is { } d ? values[^1] + d : values[^1], source, line));
                }

                // A DUP after a DIF keeps the line's last value in DIF form (the next line's Y check repeats it).
                return lastDelta is not null;
        }
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

    private static double Finite(double v, string source, int line) =>
        double.IsFinite(v) ? v : throw new JcampException($"{source}:{line}: a value overflows ({v.ToString(CultureInfo.InvariantCulture)})");

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
