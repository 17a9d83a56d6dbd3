using System.Diagnostics;

namespace RiskStream.IntegrationTests.Support;

/// <summary>Starts the <c>riskstream</c> executable built beside the tests.</summary>
internal static class CliProcess
{
    public static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "riskstream.dll");

    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        return Process.Start(info)!;
    }

    public static async Task<(int Code, string Out, string Err)> RunAsync(string[] args, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        using var p = Start(args, environment);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cancel.Token);
        return (p.ExitCode, await stdout, await stderr);
    }
}
