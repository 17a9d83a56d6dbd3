namespace RiskStream.Raman.Formats;

/// <summary>Writes what the library keeps: a measured reference as JCAMP-DX (the reading is <see cref="Jcamp"/>'s).</summary>
public static class JcampWriter
{
    /// <summary>A measured reference as JCAMP-DX 5.01 (XYPOINTS, the points as measured) with the header a library reference needs.</summary>
    public static string WriteMeasured(string name, string? cas, string hazardClasses, string instrument, string laser, string? source, double[] x, double[] y)
    {
        // No control characters (a newline would start a record) and no "$$" (a JCAMP-DX comment would cut the value).
        static string Clean(string v) => new string([.. v.Where(c => !char.IsControl(c))]).Replace("$$", "$", StringComparison.Ordinal);
        var sb = new System.Text.StringBuilder();
        sb.Append("##TITLE=").Append(Clean(name)).Append('\n');
        sb.Append("##JCAMP-DX=5.01\n##DATA TYPE=RAMAN SPECTRUM\n");
        if (!string.IsNullOrWhiteSpace(cas))
        {
            sb.Append("##CAS REGISTRY NO=").Append(Clean(cas)).Append('\n');
        }

        sb.Append("##$HAZARD CLASSES=").Append(Clean(hazardClasses)).Append('\n');
        sb.Append("##$INSTRUMENT=").Append(Clean(instrument)).Append('\n');
        sb.Append("##$LASER WAVELENGTH=").Append(Clean(laser)).Append('\n');
        sb.Append("##SOURCE REFERENCE=").Append(Clean(source ?? $"measured on {instrument}, {laser} laser")).Append('\n');
        sb.Append("##XUNITS=1/CM\n##YUNITS=ARBITRARY UNITS\n");
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"##NPOINTS={x.Length}\n##XYPOINTS=(XY..XY)\n");
        for (var i = 0; i < x.Length; i++)
        {
            sb.Append(x[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(", ").Append(y[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.Append("##END=\n").ToString();
    }
}
