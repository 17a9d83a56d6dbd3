using Microsoft.Extensions.Configuration;

namespace RiskStream.Core.Options;

/// <summary>One row of the configuration reference: a key, its default, what it accepts and what it means.</summary>
public sealed record OptionRow(string Key, string Default, string Accepts, string Description, string? Flag);
