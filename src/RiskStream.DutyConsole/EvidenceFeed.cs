using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Codecs;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Kafka;
using RiskStream.Core.Registry;

namespace RiskStream.DutyConsole;

/// <summary>
/// What a warning's page draws besides the warning: the last 30 minutes of each registry sensor's scored readings
/// (<c>riskstream.scores</c>; at most one point per <see cref="Spacing"/>, the higher value kept, so a spike is
/// never thinned away) and the newest <see cref="MaxSpectra"/> Raman spectra by site and sample
/// (<c>riskstream.spectra</c>, validated by the pipeline's own decoder). Read from 30 minutes (scores) and a day
/// (spectra) back; pages only ever ask for the sensors and samples of a warning the party was told of.
/// </summary>
/// <remarks>Thread-safe: one consumer thread writes, requests read under a lock.</remarks>
public sealed class EvidenceFeed : IDisposable
{
    public static readonly TimeSpan Span = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan Spacing = TimeSpan.FromSeconds(2);

    public const int MaxSpectra = 256;

    private readonly Dictionary<(string Site, string Sensor), List<(long Ts, double Value)>> _readings = [];
    private readonly Dictionary<(string Site, string Sample), ValidSpectrum> _spectra = [];
    private readonly Queue<(string Site, string Sample)> _spectraOrder = new();
    private readonly ParkRegistry _registry;
    private readonly SpectrumDecoder _decoder;
    private readonly ConsumerConfig _config;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public EvidenceFeed(string bootstrap, IReadOnlyDictionary<string, string> properties, ParkRegistry registry, ILogger log, TimeProvider? time = null)
    {
        _registry = registry;
        _log = log;
        _time = time ?? TimeProvider.System;
        _decoder = new SpectrumDecoder(registry, new InputLimits(), _time);
        _config = new ConsumerConfig(properties.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            BootstrapServers = bootstrap,
            GroupId = "riskstream-console",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 100,
            FetchMaxBytes = 16 * 1024 * 1024,
        };
        _thread = new Thread(Run) { IsBackground = true, Name = "console-evidence" };
        _thread.Start();
    }

    /// <summary>Scores and spectra read so far.</summary>
    public long Read { get; private set; }

    /// <summary>The sensor's readings of the last <see cref="Span"/>, oldest first.</summary>
    public IReadOnlyList<(DateTimeOffset Ts, double Value)> Readings(string site, string sensor)
    {
        var from = (_time.GetUtcNow() - Span).ToUnixTimeMilliseconds();
        lock (_lock)
        {
            return _readings.TryGetValue((site, sensor), out var points)
                ? points.Where(p => p.Ts >= from).Select(p => (DateTimeOffset.FromUnixTimeMilliseconds(p.Ts), p.Value)).ToArray()
                : [];
        }
    }

    /// <summary>The spectrum of a site's sample, when the console still holds it.</summary>
    public ValidSpectrum? Spectrum(string site, string sample)
    {
        lock (_lock)
        {
            return _spectra.GetValueOrDefault((site, sample));
        }
    }

    /// <summary>Takes one scored reading (the consumer's; tests feed it directly).</summary>
    internal void Add(Score score)
    {
        if (!_registry.Sites.TryGetValue(score.Site, out var site) || !site.Sensors.Any(s => s.Id == score.Sensor) || !double.IsFinite(score.Value))
        {
            return;
        }

        var ts = score.Ts.ToUnixTimeMilliseconds();
        var horizon = (_time.GetUtcNow() - Span).ToUnixTimeMilliseconds();
        lock (_lock)
        {
            if (!_readings.TryGetValue((score.Site, score.Sensor), out var points))
            {
                points = [];
                _readings[(score.Site, score.Sensor)] = points;
            }

            if (points.Count > 0 && ts < points[^1].Ts)
            {
                return; // late or replayed: the chart is drawn from the newest
            }

            if (points.Count > 0 && ts - points[^1].Ts < (long)Spacing.TotalMilliseconds)
            {
                points[^1] = (points[^1].Ts, Math.Max(points[^1].Value, score.Value));
            }
            else
            {
                points.Add((ts, score.Value));
            }

            var old = 0;
            while (old < points.Count && points[old].Ts < horizon)
            {
                old++;
            }

            points.RemoveRange(0, old);
        }
    }

    internal void Add(ValidSpectrum spectrum)
    {
        var key = (spectrum.Site.Id, spectrum.Message.Sample);
        lock (_lock)
        {
            if (_spectra.TryAdd(key, spectrum))
            {
                _spectraOrder.Enqueue(key);
                while (_spectraOrder.Count > MaxSpectra)
                {
                    _spectra.Remove(_spectraOrder.Dequeue());
                }
            }
            else
            {
                _spectra[key] = spectrum;
            }
        }
    }

    private void Run()
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(_config).Build();
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        var nextLookup = DateTimeOffset.MinValue;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (assigned.Count < 2 && _time.GetUtcNow() >= nextLookup)
                {
                    // Scores from 30 minutes back, spectra from a day back: what a page can still draw.
                    var now = _time.GetUtcNow();
                    Assignments.AssignNew(consumer, t => t is Topics.Scores or Topics.Spectra, assigned, tp => Assignments.Since(consumer, tp, now - (tp.Topic == Topics.Scores ? Span : TimeSpan.FromDays(1))));
                    nextLookup = now.AddSeconds(5);
                }

                if (assigned.Count == 0)
                {
                    _stop.Token.WaitHandle.WaitOne(200);
                    continue;
                }

                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { Message.Value: { } value } result)
                {
                    continue;
                }

                Read++;
                if (result.Topic == Topics.Scores)
                {
                    if (JsonSerializer.Deserialize(value, ContractJson.Default.Score) is { } score)
                    {
                        Add(score);
                    }
                }
                else if (_decoder.Decode(result.Message.Key, value).Spectrum is { } spectrum)
                {
                    Add(spectrum);
                }
            }
            catch (KafkaException e)
            {
                _log.LogWarning("Console: reading scores and spectra: {Reason}", e.Error.Reason);
                _stop.Token.WaitHandle.WaitOne(1_000);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // Not a score or spectrum the pipeline wrote (bad JSON, a field missing): nothing to draw; this message's problem alone.
                _log.LogDebug("Console evidence: a message skipped: {Reason}", e.Message);
            }
        }

        consumer.Close();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
