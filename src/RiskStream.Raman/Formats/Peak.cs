using System.Globalization;

namespace RiskStream.Raman.Formats;

/// <summary>A band of a peak table: position, height and (for the XYW form) full width at half maximum, 0 if not given.</summary>
public readonly record struct Peak(double X, double Y, double W = 0);
