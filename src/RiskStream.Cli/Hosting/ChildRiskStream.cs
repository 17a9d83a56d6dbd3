using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RiskStream.Cli.Hosting;

/// <summary>A child process of this very executable (the bench's and the soak's pipelines), its log lines handed over.</summary>
internal static partial class ChildRiskStream
{
    public static Process Start(IEnumerable<string> args, Action<string>? onLogLine = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var executable = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ChildRiskStream).Assembly.Location);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var child = Process.Start(info) ?? throw new InvalidOperationException("could not start a riskstream child process");
        child.OutputDataReceived += (_, _) => { };
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                onLogLine?.Invoke(line);
            }
        };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGTERM (a drain), then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public static void Terminate(Process child, TimeSpan grace)
    {
        if (child.HasExited)
        {
            return;
        }

        _ = kill(child.Id, 15);
        if (!child.WaitForExit(grace))
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit(TimeSpan.FromSeconds(30));
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
