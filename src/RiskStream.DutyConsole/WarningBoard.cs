using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Kafka;

namespace RiskStream.DutyConsole;

/// <summary>
/// What each party served has been told: the events on its own warning topic (<c>riskstream.warnings.{gov,ent}.&lt;id&gt;</c>,
/// which the pipeline writes only for that party's warnings), read from the start and kept per party and warning.
/// A party's view is built from its own topic only, so one party can never see another's warnings through the
/// console. Live subscribers get every new event of their party.
/// </summary>
/// <remarks>Thread-safe: one consumer thread writes, requests read under a lock.</remarks>
public sealed class WarningBoard : IDisposable
{
    /// <summary>Events kept per warning (the newest); warnings kept per party (the newest, closed ones first to go).</summary>
    public const int MaxEventsPerWarning = 100;

    public const int MaxWarningsPerParty = 2_000;

    private readonly Dictionary<Party, Dictionary<string, List<WarningEvent>>> _byParty = [];
    private readonly Dictionary<string, Party> _partyOfTopic = new(StringComparer.Ordinal);
    private readonly List<(Party Party, Channel<WarningEvent> Channel)> _subscribers = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly ConsumerConfig _config;
    private readonly ILogger _log;
    private readonly TimeProvider _time;

    public WarningBoard(string bootstrap, IReadOnlyDictionary<string, string> properties, IEnumerable<Party> parties, ILogger log, TimeProvider? time = null)
    {
        _log = log;
        _time = time ?? TimeProvider.System;
        foreach (var party in parties)
        {
            _byParty[party] = new Dictionary<string, List<WarningEvent>>(StringComparer.Ordinal);
            _partyOfTopic[Topics.WarningsOf(party.Type, party.Id)] = party;
        }

        _config = new ConsumerConfig(properties.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            BootstrapServers = bootstrap,
            GroupId = "riskstream-console",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 50,
        };
        _thread = new Thread(Run) { IsBackground = true, Name = "console-board" };
        _thread.Start();
    }

    /// <summary>Whether the board serves the party (one of the registry's).</summary>
    public bool Serves(Party party) => _byParty.ContainsKey(party);

    /// <summary>Events read so far (all parties).</summary>
    public long Read { get; private set; }

    /// <summary>The party's warnings, each as its latest event: open ones (active or awaiting disposition) unless <paramref name="all"/>, most severe and newest first.</summary>
    public IReadOnlyList<WarningEvent> Warnings(Party party, bool all = false)
    {
        lock (_lock)
        {
            if (!_byParty.TryGetValue(party, out var warnings))
            {
                return [];
            }

            return warnings.Values.Select(h => h[^1])
                .Where(e => all || e.Status != WarningStatus.Closed)
                .OrderBy(e => e.ResolvedAt is null && e.Status != WarningStatus.Resolved ? 0 : 1)
                .ThenByDescending(e => e.Level)
                .ThenByDescending(e => e.Time)
                .ToList();
        }
    }

    /// <summary>The events of one of the party's warnings, oldest first; null when the party was not told of it.</summary>
    public IReadOnlyList<WarningEvent>? History(Party party, string warningId)
    {
        lock (_lock)
        {
            return _byParty.TryGetValue(party, out var warnings) && warnings.TryGetValue(warningId, out var history) ? [.. history] : null;
        }
    }

    /// <summary>Every new event of the party's warnings, until <paramref name="stop"/>.</summary>
    public async IAsyncEnumerable<WarningEvent> Follow(Party party, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken stop)
    {
        var channel = Channel.CreateBounded<WarningEvent>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            _subscribers.Add((party, channel));
        }

        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.RemoveAll(s => s.Channel == channel);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
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
                if (assigned.Count < _partyOfTopic.Count && _time.GetUtcNow() >= nextLookup)
                {
                    Assignments.AssignNew(consumer, _partyOfTopic.ContainsKey, assigned, _ => Offset.Beginning);
                    nextLookup = _time.GetUtcNow().AddSeconds(5);
                }

                if (assigned.Count == 0)
                {
                    _stop.Token.WaitHandle.WaitOne(200);
                    continue;
                }

                var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (r?.Message?.Value is { } value && _partyOfTopic.TryGetValue(r.Topic, out var party))
                {
                    Add(party, value);
                }
            }
            catch (KafkaException e)
            {
                _log.LogWarning("Console: reading the warning topics: {Reason}", e.Error.Reason);
                _stop.Token.WaitHandle.WaitOne(1_000);
            }
        }

        consumer.Close();
    }

    private void Add(Party party, byte[] value)
    {
        WarningEvent? e;
        try
        {
            e = JsonSerializer.Deserialize(value, ContractJson.Default.WarningEvent);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            _log.LogWarning("Console: an unreadable event on the topic of {Party} skipped: {Reason}", party.Address(), ex.Message);
            return;
        }

        if (e is null || string.IsNullOrEmpty(e.Id))
        {
            return;
        }

        lock (_lock)
        {
            Read++;
            var warnings = _byParty[party];
            if (!warnings.TryGetValue(e.Id, out var history))
            {
                if (warnings.Count >= MaxWarningsPerParty)
                {
                    // The oldest closed warning goes first, else the oldest.
                    var evict = warnings.MinBy(kv => (kv.Value[^1].Status == WarningStatus.Closed ? 0 : 1, kv.Value[^1].Time)).Key;
                    warnings.Remove(evict);
                }

                history = [];
                warnings[e.Id] = history;
            }

            if (history.Exists(x => x.Seq == e.Seq))
            {
                return; // a duplicate (redelivery)
            }

            history.Add(e);
            history.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            if (history.Count > MaxEventsPerWarning)
            {
                history.RemoveAt(0);
            }

            foreach (var (p, channel) in _subscribers)
            {
                if (p == party)
                {
                    channel.Writer.TryWrite(e);
                }
            }
        }
    }
}
