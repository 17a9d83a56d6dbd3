namespace RiskStream.Cli.Hosting;

/// <summary>One check of a <see cref="HealthReport"/>: its name, whether it passed, and the problem it saw.</summary>
internal sealed record HealthCheckResult(string Name, bool Ok, string? Problem);
