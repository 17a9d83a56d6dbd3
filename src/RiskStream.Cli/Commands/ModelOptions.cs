using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Options;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Models;
using RiskStream.Simulation;

namespace RiskStream.Cli.Commands;

/// <summary>What the model commands share: the threshold option and reading a dataset.</summary>
internal static class ModelOptions
{
    /// <summary><c>--threshold T</c>: an operating threshold in (0, 1].</summary>
    public static Option<double?> Threshold(string description) => CommonOptions.Number("--threshold", description, 0, 1, minExclusive: true);

    public static List<DataRow> ReadData(string path, ProcessHost host)
    {
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var rows = Sensors.Models.Dataset.Read(path);
            host.Log.LogInformation("read {Rows:N0} rows from {Path} in {Seconds:F1} s", rows.Count, path, clock.Elapsed.TotalSeconds);
            return rows.Count > 0 ? rows : throw new OptionsException($"{path}: no rows");
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new OptionsException(e.Message);
        }
    }
}
