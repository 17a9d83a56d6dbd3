using System.Globalization;

namespace RiskStream.Raman.Formats;

/// <summary>A JCAMP-DX file is malformed; the message names the line.</summary>
public sealed class JcampException(string message) : Exception(message);
