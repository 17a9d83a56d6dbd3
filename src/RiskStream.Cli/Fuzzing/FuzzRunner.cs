using System.Diagnostics;

namespace RiskStream.Cli.Fuzzing;

/// <summary>What a fuzz run of one target found.</summary>
internal sealed record FuzzResult(string Target, long Cases, long Accepted, long Refused, IReadOnlyDictionary<string, long> Reasons, IReadOnlyList<string> Crashes, long MaxAllocatedBytes, long OverAllocation, double Seconds);

/// <summary>
/// Runs one target over mutated cases and checks what every case must do: be accepted, or refused with a reason (or
/// a documented exception with a message); any other exception is a crash, kept with the input that caused it. A
/// case that allocates more than <see cref="AllocationBound"/> is counted too.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>Most bytes one case may allocate: 4 MiB plus 64 per input byte (a parser copies, it does not explode).</summary>
    public static long AllocationBound(int inputLength) => (4L << 20) + (64L * inputLength);

    public static FuzzResult Run(FuzzTarget target, long cases, int seed, string? findings)
    {
        var mutator = new Mutator(target.Seeds, seed);
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        var crashes = new List<string>();
        long accepted = 0, refused = 0, maxAllocated = 0, overAllocation = 0;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < cases; i++)
        {
            var input = i < target.Seeds.Count ? target.Seeds[(int)i] : mutator.Next();
            var before = GC.GetAllocatedBytesForCurrentThread();
            string? reason;
            try
            {
                reason = target.Run(input);
            }
            catch (Exception e) when (target.Documented.Contains(e.GetType()) && e.Message.Length > 0)
            {
                reason = e.GetType().Name;
            }
            catch (Exception e)
            {
                crashes.Add($"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
                Keep(findings, target.Name, crashes.Count, input, e);
                continue;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            maxAllocated = Math.Max(maxAllocated, allocated);
            if (allocated > AllocationBound(input.Length))
            {
                overAllocation++;
                Keep(findings, target.Name + "-alloc", (int)overAllocation, input, null);
            }

            if (reason is null)
            {
                accepted++;
            }
            else
            {
                refused++;
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
        }

        return new FuzzResult(target.Name, cases, accepted, refused, reasons, crashes, maxAllocated, overAllocation, clock.Elapsed.TotalSeconds);
    }

    private static void Keep(string? folder, string target, int n, byte[] input, Exception? e)
    {
        if (folder is null || n > 20)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, $"{target}-{n}.bin"), input);
        if (e is not null)
        {
            File.WriteAllText(Path.Combine(folder, $"{target}-{n}.txt"), e.ToString());
        }
    }
}
