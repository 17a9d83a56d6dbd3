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

/// <summary>
/// <c>riskstream dataset --out FILE [--hours 2] [--seed N]</c>: N hours of the simulated park as half-hour blocks
/// spread over a day (so the daily cycle is all there), each reading a labelled row, as CSV or Apache Parquet.
/// </summary>
internal static class DatasetCommand
{
    private static readonly double[] Periods = [1, 2, 5];

    /// <summary>Datasets start on this day (UTC) so a seed always gives the same rows.</summary>
    public static readonly DateTimeOffset DatasetDay = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "the file to write: FILE.csv, or FILE.parquet for Apache Parquet", HelpName = "FILE", Required = true };
        var hours = CommonOptions.Number("--hours", "simulated hours (default 2)", 0.05, 48);
        var command = new Command("dataset", "Labelled feature rows from the simulator's ground truth, as CSV or Apache Parquet (train and evaluate read either).") { output, hours };
        foreach (var flag in ConfigFlag.For("--seed", "--sites", "--registry"))
        {
            command.Options.Add(flag);
        }

        command.SetAction(parse => Run(parse, parse.GetValue(output)!, parse.GetValue(hours) ?? 2));
        return command;
    }

    private static int Run(ParseResult parse, string output, double hours)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        var registry = ParkRegistry.Load(options.RegistryPath);
        // No demonstration hazard at the start of each block: events come from the schedule alone.
        var simulation = options.Simulation with { DemoHazard = false };
        var blocks = Math.Max(1, (int)Math.Round(hours * 2));
        var blockLength = TimeSpan.FromHours(hours / blocks);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long rows = 0;
        IEnumerable<Sensors.Models.DataRow> Blocks()
        {
            for (var b = 0; b < blocks; b++)
            {
                var start = DatasetDay + TimeSpan.FromHours(24.0 * b / blocks);
                // Sensors report every 1, 2 or 5 s, block by block: the models must not depend on one reporting period.
                var period = Periods[b % Periods.Length];
                var sensors = options.Simulation.Sites > 0 ? registry.SiteList.Take(options.Simulation.Sites).Sum(s => s.Sensors.Count) : registry.SensorCount;
                var block = b;
                foreach (var row in DatasetWriter.Rows(registry, simulation with { Seed = options.Simulation.Seed + (b * 7919), RatePerSecond = sensors / period }, start, blockLength, options.Pipeline.Window, (t, _) => host.Log.LogInformation("dataset: block {Block}/{Blocks}, {Minutes:F0} simulated minutes, {Rows:N0} rows", block + 1, blocks, t.TotalMinutes, rows), eventIdBase: b * 100_000))
                {
                    rows++;
                    yield return row;
                }
            }
        }

        if (Sensors.Models.ParquetDataset.IsParquet(output))
        {
            Sensors.Models.ParquetDataset.WriteAsync(Blocks(), output).GetAwaiter().GetResult();
        }
        else
        {
            using var writer = new StreamWriter(output, false, new System.Text.UTF8Encoding(false), 1 << 16);
            DatasetWriter.WriteHeader(writer);
            var line = new System.Text.StringBuilder(256);
            foreach (var row in Blocks())
            {
                DatasetWriter.WriteRow(writer, row, line);
            }
        }

        host.Log.LogInformation("dataset: {Rows:N0} rows in {Seconds:F1} s", rows, clock.Elapsed.TotalSeconds);
        Console.Out.WriteLine($"wrote {rows:N0} rows ({hours} simulated hours in {blocks} blocks over a day, sensors reporting every 1, 2 or 5 s, seed {options.Simulation.Seed}) to {output}");
        return 0;
    }
}
