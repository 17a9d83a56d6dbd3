namespace RiskStream.Core;

/// <summary>CSV for people's spreadsheets (RFC 4180), safe to open.</summary>
public static class Csv
{
    /// <summary>
    /// One cell: quoted when it holds a comma, quote or line break; a cell a spreadsheet would take for a formula
    /// (=, +, -, @, tab, carriage return at its start) is prefixed with an apostrophe.
    /// </summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
