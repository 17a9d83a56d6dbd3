using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// A child process of this very executable (the bench's and the soak's pipelines), or of another .NET assembly (the
/// bench's Streamiz peer), its log lines (standard error) and, when asked, its output lines handed over.
/// </summary>
internal static partial class ChildRiskStream
{
    public static Process Start(IEnumerable<string> args, Action<string>? onLogLine = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var executable = Environment.ProcessPath ?? "dotnet";
        var host = Path.GetFileNameWithoutExtension(executable) == "dotnet" ? [typeof(ChildRiskStream).Assembly.Location] : Array.Empty<string>();
        return Launch(executable, [.. host, .. args], onLogLine, null, environment);
    }

    /// <summary>A .NET assembly run by <c>dotnet</c>, its output lines to <paramref name="onOutputLine"/>.</summary>
    public static Process StartAssembly(string assembly, IEnumerable<string> args, Action<string>? onLogLine, Action<string>? onOutputLine) =>
        Launch("dotnet", [assembly, .. args], onLogLine, onOutputLine, null);

    private static Process Launch(string executable, IEnumerable<string> args, Action<string>? onLogLine, Action<string>? onOutputLine, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var child = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                onOutputLine?.Invoke(line);
            }
        };
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
