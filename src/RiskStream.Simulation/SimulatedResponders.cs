using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Contracts;

namespace RiskStream.Simulation;

/// <summary>
/// The people of the simulated park, so a newcomer sees the whole response loop in <c>riskstream run</c>: neighbours
/// confirm receipt, the owner acknowledges, engaged enterprises accept (with an ETA) or decline their assistance
/// requests, the owner disposes a resolved warning with the injected event's truth as the reason, and the regulator
/// confirms where the level requires it. Each answer goes to the party's own acknowledgement topic after a random delay
/// around <see cref="SimulationOptions.ResponseDelay"/>; all are answers a real party could send.
/// </summary>
/// <remarks>Thread-safe: <see cref="Saw"/> is called from the lanes, <see cref="RunAsync"/> sends.</remarks>
/// <param name="producer">Where <see cref="RunAsync"/> sends the answers; null for an offline driver that takes them with <see cref="TakeDue"/>.</param>
public sealed class SimulatedResponders(ParkSimulator simulator, IProducer<byte[]?, byte[]>? producer, TimeProvider time, TimeSpan delay, int seed, ILogger log)
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<Acknowledgement, DateTimeOffset> _due = new();
    private readonly HashSet<(string Warning, ResponseKind Kind, string Party, string? Capability)> _planned = [];
    private readonly Random _random = new(seed);

    /// <summary>Answers sent so far.</summary>
    public long Sent { get; private set; }

    /// <summary>Plans what the people concerned answer to one warning event.</summary>
    public void Saw(WarningEvent e)
    {
        lock (_lock)
        {
            var owner = new Party(PartyType.Enterprise, e.Enterprise);
            var regulator = new Party(PartyType.Government, e.Jurisdiction);
            if (e.Status == WarningStatus.Raised)
            {
                foreach (var neighbour in e.Responses?.Where(r => r.Role == ResponseRole.Neighbour) ?? [])
                {
                    Plan(e, neighbour.Party, ResponseKind.Receipt, 0.3, "seen on the neighbour's duty screen");
                }

                Plan(e, owner, ResponseKind.Acknowledge, 1, "duty room on it: checking on site");
            }

            foreach (var request in e.Assistance?.Where(a => a.Status == AssistanceStatus.Requested) ?? [])
            {
                var accept = _random.NextDouble() >= 1.0 / 3;
                Plan(e, new Party(PartyType.Enterprise, request.Enterprise), ResponseKind.Assistance, 0.8, accept ? "team dispatched" : "team committed at another site", a => a with
                {
                    Capability = request.Capability,
                    Answer = accept ? AssistanceAnswer.Accept : AssistanceAnswer.Decline,
                    Eta = accept ? time.GetUtcNow().AddMinutes(15 + _random.Next(25)) : null,
                });
            }

            if (e.Status == WarningStatus.Resolved)
            {
                var (reason, why) = Truth(e);
                Plan(e, owner, ResponseKind.Dispose, 0.6, why, a => a with { Disposition = reason });
            }

            if (e is { Disposition: { Role: ResponseRole.Owner, ConfirmedBy: null } d } && e.Status != WarningStatus.Closed && e.Reason?.Contains("confirmation", StringComparison.Ordinal) == true)
            {
                Plan(e, regulator, ResponseKind.Dispose, 0.6, "confirmed by the duty officer", a => a with { Disposition = d.Reason });
            }
        }
    }

    /// <summary>Sends the answers as they fall due, until stopped.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                SendDue();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The answers that have fallen due by now, stamped now, oldest first (what <see cref="RunAsync"/> sends; an offline driver takes them itself).</summary>
    public IReadOnlyList<Acknowledgement> TakeDue()
    {
        var now = time.GetUtcNow();
        var due = new List<Acknowledgement>();
        lock (_lock)
        {
            while (_due.TryPeek(out var answer, out var at) && at <= now)
            {
                _due.Dequeue();
                due.Add(answer with { Time = now });
            }
        }

        return due;
    }

    private void SendDue()
    {
        foreach (var answer in TakeDue())
        {
            var topic = Topics.AcksOf(answer.Party.Type, answer.Party.Id);
            var site = answer.WarningId.Split(':')[1];
            try
            {
                (producer ?? throw new InvalidOperationException("no producer: take the answers with TakeDue")).Produce(topic, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(site), Value = JsonSerializer.SerializeToUtf8Bytes(answer, ContractJson.Default.Acknowledgement) });
                Sent++;
            }
            catch (KafkaException e)
            {
                log.LogWarning("Simulated {Kind} of {Party} to {Warning} not sent: {Reason}", answer.Kind, answer.Party.Address(), answer.WarningId, e.Error.Reason);
            }
        }
    }

    private void Plan(WarningEvent e, Party party, ResponseKind kind, double delayShare, string text, Func<Acknowledgement, Acknowledgement>? shape = null)
    {
        if (delay <= TimeSpan.Zero || !_planned.Add((e.Id, kind, party.Id, kind == ResponseKind.Assistance ? e.Assistance?.FirstOrDefault(a => a.Enterprise == party.Id && a.Status == AssistanceStatus.Requested)?.Capability : null)))
        {
            return;
        }

        var by = party.Type == PartyType.Government ? "duty officer (simulated)" : kind == ResponseKind.Assistance ? "team lead (simulated)" : "safety manager (simulated)";
        var answer = new Acknowledgement(e.Id, party, by, time.GetUtcNow(), text, null) { Kind = kind };
        var wait = delay * delayShare * (0.5 + _random.NextDouble());
        _due.Enqueue(shape?.Invoke(answer) ?? answer, time.GetUtcNow() + wait);
    }

    /// <summary>What the simulator injected at the warning's site while it was active: the reason its owner gives.</summary>
    private (DispositionReason Reason, string Why) Truth(WarningEvent e)
    {
        var injected = simulator.Events
            .Where(x => x.Site.Id == e.Site && x.Start <= e.Time && x.End >= e.RaisedAt.AddMinutes(-2))
            .OrderByDescending(x => x.IsHazard)
            .FirstOrDefault();
        return injected switch
        {
            null => (DispositionReason.FalseAlarm, "nothing found on site"),
            { IsHazard: true } => (DispositionReason.ConfirmedHazard, $"confirmed on site: {injected.Kind} (simulated truth)"),
            _ => (DispositionReason.InstrumentFault, $"detector fault found: {injected.Kind} (simulated truth)"),
        };
    }
}
