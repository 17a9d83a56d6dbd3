namespace RiskStream.Cli.Hosting;

/// <summary>The body of <c>/healthz/live</c> and <c>/healthz/ready</c>.</summary>
internal sealed record HealthReport(string Status, IReadOnlyList<HealthCheckResult> Checks);
