using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Bench;
using RiskStream.Cli.Hosting;

namespace RiskStream.Cli.Commands;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchResult))]
[JsonSerializable(typeof(ScaleOutResult))]
internal sealed partial class BenchJson : JsonSerializerContext;

/// <summary>Figures of <c>riskstream bench --only scale-out</c>.</summary>
internal sealed record ScaleOutResult(IReadOnlyList<RiskStream.Cli.Bench.ScaleOutBench.Round> Rounds, int Partitions, int Cores, double DurationSec);
