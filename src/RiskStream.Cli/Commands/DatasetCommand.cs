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
/// <c>--from influx --since … --until … [--sites A,B]</c>: the recorded readings and the labels people gave, from
/// InfluxDB, through the lane's feature code (<see cref="RecordedDataset"/>). <c>--combine FILE</c> puts another
/// dataset's rows first. A card (<c>FILE.card.json</c>) says where the rows came from.
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
        var from = new Option<string>("--from") { Description = "sim: the simulator's ground truth; influx: recorded readings and labels from InfluxDB (--influx-url, --influx-db)", HelpName = "sim|influx", DefaultValueFactory = _ => "sim" }.AcceptOnlyFromAmong("sim", "influx");
        var since = new Option<string>("--since") { Description = "with --from influx: start, an ISO 8601 time or a span back from now (7d, 24h)", HelpName = "TIME" };
        var until = new Option<string>("--until") { Description = "with --from influx: end (excluded), as --since; default now", HelpName = "TIME" };
        var sites = new Option<string>("--sites") { Description = "sim: only the first N sites; influx: only these sites (comma-separated ids)", HelpName = "N|A,B" };
        var combine = new Option<string[]>("--combine") { Description = "another dataset (CSV or Parquet, e.g. simulated) whose rows go first; repeatable", HelpName = "FILE" };
        var command = new Command("dataset", "Labelled feature rows, as CSV or Apache Parquet (train and evaluate read either): from the simulator's ground truth, or from recorded history and the dispositions people made.") { output, hours, from, since, until, sites, combine };
        foreach (var flag in ConfigFlag.For("--seed", "--registry", "--influx-url", "--influx-db"))
        {
            command.Options.Add(flag);
        }

        command.SetAction(parse => Run(parse, parse.GetValue(output)!, parse.GetValue(hours) ?? 2, parse.GetValue(from)!, parse.GetValue(since), parse.GetValue(until), parse.GetValue(sites), parse.GetValue(combine) ?? []));
        return command;
    }

    private static int Run(ParseResult parse, string output, double hours, string from, string? since, string? until, string? sites, string[] combine)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        var registry = ParkRegistry.Load(options.RegistryPath);
        var combined = new List<CombinedFile>();
        IEnumerable<Sensors.Models.DataRow> Combined()
        {
            foreach (var file in combine)
            {
                var rows = ModelOptions.ReadData(file, host);
                combined.Add(new CombinedFile(Path.GetFileName(file), Dataset.Fingerprint(file), rows.Count));
                foreach (var row in rows)
                {
                    yield return row;
                }
            }
        }

        if (from == "influx")
        {
            return FromInflux(host, registry, output, since, until, sites, Combined, combined);
        }

        if (since is not null || until is not null)
        {
            throw new OptionsException("--since and --until go with --from influx");
        }

        if (sites is not null)
        {
            options = options with { Simulation = options.Simulation with { Sites = int.TryParse(sites, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 1_000_000 ? n : throw new OptionsException($"--sites '{sites}': with the simulator, a number of sites (0 = all)") } };
        }

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

        Write(output, Combined().Concat(Blocks()));
        var start = DatasetDay;
        new DataCard($"simulator (seed {options.Simulation.Seed}, {hours} hours in {blocks} blocks over a day, sensors every 1, 2 or 5 s; labels from its ground truth)", start, start.AddDays(1), [], rows, new Dictionary<string, long>(), new Dictionary<string, long>(), [], 0, Sensors.Features.FeatureSchema.Hash) { CombinedWith = combined }.Write(output + ".card.json");
        host.Log.LogInformation("dataset: {Rows:N0} rows in {Seconds:F1} s", rows, clock.Elapsed.TotalSeconds);
        Console.Out.WriteLine($"wrote {rows:N0} rows ({hours} simulated hours in {blocks} blocks over a day, sensors reporting every 1, 2 or 5 s, seed {options.Simulation.Seed}){(combined.Count > 0 ? $" after {combined.Sum(c => c.Rows):N0} rows of {string.Join(", ", combined.Select(c => c.File))}" : "")} to {output}; card {output}.card.json");
        return 0;
    }

    private static int FromInflux(ProcessHost host, ParkRegistry registry, string output, string? since, string? until, string? sites, Func<IEnumerable<Sensors.Models.DataRow>> combinedRows, List<CombinedFile> combined)
    {
        var options = host.Options;
        if (options.Influx.Url.Length == 0)
        {
            throw new OptionsException("--from influx needs --influx-url (or RiskStream:Influx:Url)");
        }

        var now = TimeProvider.System.GetUtcNow();
        var start = Time(since ?? throw new OptionsException("--from influx needs --since"), now, "--since");
        var end = until is null ? now : Time(until, now, "--until");
        if (end <= start)
        {
            throw new OptionsException($"--until ({end:O}) is not after --since ({start:O})");
        }

        var siteList = sites is null ? [] : sites.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var s in siteList)
        {
            if (!registry.Sites.ContainsKey(s))
            {
                throw new OptionsException($"--sites: '{Codecs.ExternalText.Quote(s)}' is not a site of the registry");
            }
        }

        using var history = options.Influx.CreateHistory();
        List<Core.Contracts.Label> labels;
        try
        {
            labels = history.LabelsAsync(start, end, siteList, host.Stopping).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or Influx.InfluxWriteException or TaskCanceledException or IOException or JsonException)
        {
            throw new OptionsException($"InfluxDB at {options.Influx.SafeUrl}: {e.Message}");
        }

        var dataset = new RecordedDataset(registry, options.Pipeline.Window, labels);
        var readings = history.ReadingsAsync(start, end, siteList, host.Stopping).ToBlockingEnumerable().Select(r => new HistoryReading(r.Site, r.Sensor, r.Value, r.TsMs));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            Write(output, combinedRows().Concat(dataset.Rows(readings)));
        }
        catch (Exception e) when (e is HttpRequestException or Influx.InfluxWriteException or TaskCanceledException or IOException or JsonException or KeyNotFoundException)
        {
            // Cut off mid-stream (a reset, a truncated chunk, a column missing): no half dataset is left behind.
            throw new OptionsException($"InfluxDB at {options.Influx.SafeUrl}: {e.GetType().Name}: {e.Message}; nothing written to {output}");
        }

        var card = dataset.Card($"influxdb {options.Influx.SafeUrl} database {options.Influx.Database} (readings and labels written by the sink)", start, end, siteList) with { CombinedWith = combined };
        card.Write(output + ".card.json");
        host.Log.LogInformation("dataset: {Rows:N0} recorded rows in {Seconds:F1} s", card.Rows, clock.Elapsed.TotalSeconds);
        Console.Out.WriteLine($"wrote {card.Rows:N0} recorded rows ({string.Join(", ", card.RowsByEvent.Select(x => $"{x.Key} {x.Value:N0}"))}) from {start:O} to {end:O}, {labels.Count} labels ({string.Join(", ", card.LabelsByDisposition.Select(x => $"{x.Key} {x.Value}"))}), {card.Excluded.Count} intervals left out{(combined.Count > 0 ? $", after {combined.Sum(c => c.Rows):N0} rows of {string.Join(", ", combined.Select(c => c.File))}" : "")} to {output}; card {output}.card.json");
        if (card.UnknownSensorReadings > 0)
        {
            Console.Out.WriteLine($"{card.UnknownSensorReadings:N0} readings of sensors the registry does not know were left out");
        }

        return 0;
    }

    /// <summary>An ISO 8601 time, or a span back from now (<c>7d</c>, <c>24h</c>, <c>30m</c>).</summary>
    private static DateTimeOffset Time(string text, DateTimeOffset now, string flag)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        return Core.Durations.TryParse(text, out var back) && back > TimeSpan.Zero ? now - back : throw new OptionsException($"{flag} '{text}' is neither an ISO 8601 time nor a span back from now (7d, 24h)");
    }

    /// <summary>Writes beside the output and moves it into place: a failure part way leaves no half dataset.</summary>
    private static void Write(string output, IEnumerable<Sensors.Models.DataRow> rows)
    {
        var temporary = output + ".partial" + (Sensors.Models.ParquetDataset.IsParquet(output) ? ".parquet" : ".csv");
        try
        {
            if (Sensors.Models.ParquetDataset.IsParquet(output))
            {
                Sensors.Models.ParquetDataset.WriteAsync(rows, temporary).GetAwaiter().GetResult();
            }
            else
            {
                using var writer = new StreamWriter(temporary, false, new System.Text.UTF8Encoding(false), 1 << 16);
                DatasetWriter.WriteHeader(writer);
                var line = new System.Text.StringBuilder(256);
                foreach (var row in rows)
                {
                    DatasetWriter.WriteRow(writer, row, line);
                }
            }

            File.Move(temporary, output, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
