namespace RiskStream.Core.Options;

/// <summary>A configuration or command-line value is missing or not acceptable; the message names the key and what it accepts.</summary>
public sealed class OptionsException(string message) : Exception(message);
