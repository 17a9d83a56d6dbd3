using System.Diagnostics;
using System.Globalization;
using RiskStream.Core.Registry;
using RiskStream.Kafka;

namespace RiskStream.Cli.Bench;

/// <summary>
/// The Streamiz.Kafka.Net peer (bench/RiskStream.StreamizPeer: per-sensor tumbling-window statistics and a
/// threshold alarm, one record out per reading) run as a child process on the bench's embedded broker, fed by the
/// same feeder as the pipeline's phases. Its rate is read from the "processed N" lines it prints every 20 ms; its CPU
/// is the whole child process's (its stream threads, their librdkafka clients, its runtime). It is stopped as the
/// soak's children are (SIGTERM, then SIGKILL after a grace).
/// </summary>
internal static class StreamizPeer
{
    private const string Project = "RiskStream.StreamizPeer";

    /// <summary>
    /// The peer's assembly: <paramref name="explicitPath"/>, else the build of bench/RiskStream.StreamizPeer found by
    /// walking up from this executable (the repository's layout), the Release build first; null when not built.
    /// </summary>
    public static string? Locate(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "bench", Project, "bin");
            if (!Directory.Exists(project))
            {
                continue;
            }

            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var build = Path.Combine(project, configuration);
                if (Directory.Exists(build)
                    && Directory.EnumerateFiles(build, Project + ".dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault() is { } dll)
                {
                    return dll;
                }
            }
        }

        return null;
    }

    /// <summary>The peer's readings per second (wall clock) and per CPU-second of its process, over <paramref name="duration"/> after <paramref name="warmup"/>.</summary>
    public static async Task<(double Rate, double PerCpuSecond)> RunAsync(
        string peer, EmbeddedBroker broker, ParkRegistry registry, string topic, int threads, TimeSpan warmup, TimeSpan duration, Action<string> progress)
    {
        var output = topic + ".out";
        broker.EnsureTopics(topic, output);
        long processed = 0;
        using var stop = new CancellationTokenSource();
        var feeder = BenchFeeder.Start(broker, registry, topic, () => Interlocked.Read(ref processed), null, stop.Token);
        string[] args = ["--bootstrap", broker.BootstrapServers, "--input", topic, "--output", output, "--application-id", "bench-" + topic.Replace('.', '-'), "--threads", threads.ToString(CultureInfo.InvariantCulture)];
        var errors = 0;
        Process? child = null;
        try
        {
            child = Hosting.ChildRiskStream.StartAssembly(
                peer,
                args,
                line =>
                {
                    // Its warnings, a few of them: enough to say why it failed, not a flood from a retrying client.
                    if (line.Length > 0 && Interlocked.Increment(ref errors) <= 20)
                    {
                        progress("streamiz peer: " + line);
                    }
                },
                line =>
                {
                    if (line.StartsWith("processed ", StringComparison.Ordinal)
                        && long.TryParse(line.AsSpan("processed ".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    {
                        Interlocked.Exchange(ref processed, n);
                    }
                });
            var started = Stopwatch.StartNew();
            while (Interlocked.Read(ref processed) == 0)
            {
                if (child.HasExited || started.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException(child.HasExited
                        ? $"the Streamiz peer exited with {child.ExitCode} before processing a reading"
                        : "the Streamiz peer processed nothing within 60 s");
                }

                await Task.Delay(10).ConfigureAwait(false);
            }

            await Task.Delay(warmup).ConfigureAwait(false);
            var cpuBefore = Cpu(child);
            var before = Interlocked.Read(ref processed);
            var clock = Stopwatch.StartNew();
            await Task.Delay(duration).ConfigureAwait(false);
            var counted = Interlocked.Read(ref processed) - before;
            var elapsed = clock.Elapsed;
            var cpu = (Cpu(child) - cpuBefore).TotalSeconds;
            progress($"streamiz peer: {cpu:F1} CPU-seconds in its process, {threads} stream thread(s), in {elapsed.TotalSeconds:F0} s");
            return (counted / elapsed.TotalSeconds, counted / cpu);
        }
        finally
        {
            stop.Cancel();
            feeder.Join();
            if (child is not null)
            {
                Hosting.ChildRiskStream.Terminate(child, TimeSpan.FromSeconds(30));
                child.Dispose();
            }
        }
    }

    /// <summary>The child's CPU so far; a clear error if it has exited (its figures would be cut short).</summary>
    private static TimeSpan Cpu(Process child)
    {
        child.Refresh();
        if (child.HasExited)
        {
            throw new InvalidOperationException($"the Streamiz peer exited with {child.ExitCode} while measured");
        }

        return child.TotalProcessorTime;
    }
}
