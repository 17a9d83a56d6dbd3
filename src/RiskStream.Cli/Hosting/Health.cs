using System.Text.Json;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// The process's health for <c>/healthz/live</c> and <c>/healthz/ready</c>: named checks, each giving the problem it
/// sees or null. Liveness holds only the checks that say the process is wedged (a restart would help); readiness
/// holds those too, and every check of whether it is doing its job now (connected, consuming, serving a model).
/// </summary>
/// <remarks>Thread-safe as long as the checks are: they run on the HTTP request's thread.</remarks>
internal sealed class Health
{
    private readonly List<(string Name, bool Live, Func<string?> Problem)> _checks = [];

    /// <summary>A check that fails liveness (and readiness): the process is wedged.</summary>
    public Health Live(string name, Func<string?> problem)
    {
        _checks.Add((name, true, problem));
        return this;
    }

    /// <summary>A check that fails readiness only.</summary>
    public Health Ready(string name, Func<string?> problem)
    {
        _checks.Add((name, false, problem));
        return this;
    }

    /// <summary>Runs the checks of liveness (<paramref name="readiness"/> false) or readiness; the body names every problem.</summary>
    public (bool Ok, string Body) Report(bool readiness)
    {
        var results = _checks.Where(c => readiness || c.Live).Select(c => (c.Name, Problem: Run(c.Problem))).ToList();
        var ok = results.All(r => r.Problem is null);
        var body = JsonSerializer.Serialize(new HealthReport(ok ? "ok" : "failing", results.Select(r => new HealthCheckResult(r.Name, r.Problem is null, r.Problem)).ToList()), HostingJson.Default.HealthReport);
        return (ok, body + "\n");
    }

    private static string? Run(Func<string?> problem)
    {
        try
        {
            return problem();
        }
        catch (Exception e)
        {
            return $"the check failed: {e.GetType().Name}: {e.Message}";
        }
    }
}
