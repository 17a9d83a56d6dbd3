using System.Security.Cryptography;
using System.Text;

namespace RiskStream.Sensors.Features;

/// <summary>
/// The one feature definition training and scoring share: names in vector order and a hash of them with the
/// definition's version. A model records the hash it was trained with; the pipeline refuses a model whose hash is not
/// this one.
/// </summary>
public static class FeatureSchema
{
    /// <summary>Bumped whenever a feature's meaning changes, even if the names stay.</summary>
    public const int Version = 1;

    /// <summary>
    /// Values are made comparable across kinds by the sensor's <em>span</em>: from its normal value to its first-level
    /// setpoint (for oxygen deficiency, downwards). <c>alarm</c> is the national alarm level (0, 1, 2).
    /// </summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "alarm",          // national alarm level of the value: 0, 1 (first), 2 (second)
        "excess",         // (value - normal) / span
        "mean",           // (window mean - normal) / span
        "std",            // window standard deviation / span
        "min",            // (window min - normal) / span
        "max",            // (window max - normal) / span
        "slope",          // least-squares slope over the window, spans per minute
        "rate",           // change since the previous reading, spans per second
        "above_first_s",  // time the window spent at or above the first-level setpoint, s
        "since_last_s",   // time since the sensor's previous reading, s (capped at 600)
        "count",          // readings in the window
        "site_rising",    // share of the site's other sensors rising by more than half a span a minute
        "site_worst",     // highest excess (0..10) among the site's other sensors
        "rise",           // (value - window min) / span: how much of the excess arrived within the window
    ];

    /// <summary>Positions in the vector of the features read outside the definition (tied to <see cref="Names"/> by a test).</summary>
    public static class Index
    {
        public const int Alarm = 0;
        public const int Excess = 1;
        public const int Std = 3;
        public const int SinceLastS = 9;
        public const int Count = 10;
    }

    /// <summary>Length of a feature vector (a constant, for ML.NET's vector column type).</summary>
    public const int Count = 14;

    public static string Hash { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"riskstream-features/{Version}:{string.Join(',', Names)}")))[..16].ToLowerInvariant();
}
