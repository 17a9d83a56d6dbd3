using System.Globalization;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// The garbage collector's generation-0 budget. Scoring keeps every in-flight reading alive until the broker
/// acknowledges its score; with the default budget on a small-cache machine (6 MB, a collection every 30 ms at
/// full rate) a third of what gen 0 holds survives each collection and is copied on, and the pipeline spends a
/// quarter of its time in collections. <c>DOTNET_GCgen0size</c> (64 MB: the riskstream script and the image set it)
/// is read only from the environment at the runtime's start, not from runtimeconfig.json.
/// </summary>
internal static class GcBudget
{
    public const long Recommended = 64L << 20;

    /// <summary>The generation-0 budget cap the runtime started with, in bytes (0 when the runtime does not say).</summary>
    public static long Gen0Bytes() =>
        GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var value) && value is long or ulong or int or uint
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : 0;

    /// <summary>A warning for the log when the budget is well below the recommended one, else null.</summary>
    public static string? Warning()
    {
        var bytes = Gen0Bytes();
        return bytes is > 0 and < Recommended / 2
            ? string.Create(CultureInfo.InvariantCulture, $"GC generation-0 budget {bytes >> 20} MB: at full rate the pipeline spends about a quarter of its time in collections; start it with DOTNET_GCgen0size=0x4000000 (64 MB), as the riskstream script and the image do (docs/operations.md)")
            : null;
    }
}
