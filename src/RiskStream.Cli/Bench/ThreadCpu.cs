using System.Diagnostics;
using System.Globalization;

namespace RiskStream.Cli.Bench;

/// <summary>
/// CPU time by thread from <c>/proc/self/task</c> (Linux): lets the bench charge a phase only with the CPU of the
/// threads it measures, not with its feeder's or the embedded broker's, which share the process and the cores.
/// Elsewhere (no /proc) the per-thread figures are unknown and the phases report NaN.
/// </summary>
internal static class ThreadCpu
{
    /// <summary>/proc reports utime and stime in USER_HZ ticks, 100 per second on every Linux ABI .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static bool Available => Directory.Exists("/proc/self/task");

    /// <summary>The process's threads now (kernel thread ids).</summary>
    public static HashSet<int> Threads()
    {
        var ids = new HashSet<int>();
        if (!Available)
        {
            return ids;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>
    /// librdkafka's threads (named <c>rdk:…</c>) that appeared while <paramref name="create"/> ran: the threads of
    /// the client or mock cluster it built. Other threads started meanwhile (the thread pool's) are not counted.
    /// </summary>
    public static (T Created, HashSet<int> Threads) ClientThreads<T>(Func<T> create)
    {
        var before = Threads();
        var created = create();
        var added = Threads();
        added.ExceptWith(before);
        added.RemoveWhere(id => !Name(id).StartsWith("rdk:", StringComparison.Ordinal));
        return (created, added);
    }

    /// <summary>The calling thread's kernel id (from /proc/thread-self), or -1 where unknown.</summary>
    public static int Current()
    {
        var target = Available ? new FileInfo("/proc/thread-self").LinkTarget : null;
        return target is not null && int.TryParse(Path.GetFileName(target), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1;
    }

    /// <summary>CPU seconds (user + system) of each of the given threads so far; a thread that has ended is missing.</summary>
    public static Dictionary<int, double> Seconds(IEnumerable<int> threads)
    {
        var seconds = new Dictionary<int, double>();
        foreach (var id in threads)
        {
            if (Ticks(id) is { } ticks)
            {
                seconds[id] = ticks / TicksPerSecond;
            }
        }

        return seconds;
    }

    /// <summary>CPU seconds of the whole process so far, ended threads included.</summary>
    public static double ProcessSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    private static string Name(int id)
    {
        try
        {
            return File.ReadAllText($"/proc/self/task/{id}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static long? Ticks(int id)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/self/task/{id}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the thread ended
        }

        // "tid (comm) state ppid …": the name may hold spaces and parentheses, so fields count from the last ')'.
        // After it: state is field 3, utime field 14, stime field 15.
        var close = stat.LastIndexOf(')');
        var fields = close < 0 || close + 2 > stat.Length ? [] : stat[(close + 2)..].Split(' ');
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? user + system
            : null;
    }
}

/// <summary>
/// The CPU a phase of the bench spent on its own threads: the process's, less its feeder's and the embedded
/// broker's (which the peer and the pipeline share alike and neither owns).
/// </summary>
internal sealed class PhaseCpu(IReadOnlyCollection<int> excluded)
{
    private double _process = double.NaN;
    private Dictionary<int, double> _excluded = [];

    public void Start()
    {
        _process = ThreadCpu.ProcessSeconds();
        _excluded = ThreadCpu.Seconds(excluded);
    }

    /// <summary>CPU seconds of the excluded threads (feeder, broker) between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public double Excluded { get; private set; } = double.NaN;

    /// <summary>CPU seconds of the measured threads since <see cref="Start"/>; NaN where /proc is missing.</summary>
    public double Stop()
    {
        if (!ThreadCpu.Available)
        {
            return double.NaN;
        }

        // Per thread, and only threads alive at both ends (one that ended took its time with it from /proc).
        var now = ThreadCpu.Seconds(excluded);
        Excluded = now.Where(t => _excluded.ContainsKey(t.Key)).Sum(t => t.Value - _excluded[t.Key]);
        return ThreadCpu.ProcessSeconds() - _process - Excluded;
    }
}
