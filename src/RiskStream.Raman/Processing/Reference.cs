namespace RiskStream.Raman.Processing;

/// <summary>A reference spectrum of the library.</summary>
public sealed record Reference(string Name, string? Cas, IReadOnlyList<string> HazardClasses, double[] X, double[] Y)
{
    /// <summary>The published bands the spectrum was rendered from (a peak-table reference); empty for a measured one.</summary>
    public IReadOnlyList<Formats.Peak> Bands { get; init; } = [];

    /// <summary>A measured spectrum (XYDATA or XYPOINTS), kept as measured; false for a band table rendered.</summary>
    public bool Measured { get; init; }

    /// <summary>The instrument and laser a measured reference was measured on (##$INSTRUMENT=, ##$LASER WAVELENGTH=).</summary>
    public string? Instrument { get; init; }

    public string? Laser { get; init; }

    /// <summary>Where the reference comes from (the file's SOURCE REFERENCE), if it says.</summary>
    public string? Source { get; init; }

    /// <summary>The file it was read from, if any.</summary>
    public string? File { get; init; }
}
