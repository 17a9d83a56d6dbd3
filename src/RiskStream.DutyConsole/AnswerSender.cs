using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Contracts;

namespace RiskStream.DutyConsole;

/// <summary>
/// Sends a user's answer to its party's own acknowledgement topic, keyed by the warning's site: the pipeline, not
/// the console, decides what it means (the Kafka rules stay the single authority; the console is a gateway).
/// </summary>
public sealed class AnswerSender(IProducer<byte[]?, byte[]> producer)
{
    /// <summary>Sends and waits for the broker; returns null, or why it was not delivered.</summary>
    public async Task<string?> SendAsync(Acknowledgement answer, CancellationToken cancel)
    {
        var topic = Topics.AcksOf(answer.Party.Type, answer.Party.Id);
        var parts = answer.WarningId.Split(':');
        if (parts.Length != 3)
        {
            return "not a warning id";
        }

        try
        {
            await producer.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(parts[1]), Value = JsonSerializer.SerializeToUtf8Bytes(answer, ContractJson.Default.Acknowledgement) }, cancel).ConfigureAwait(false);
            return null;
        }
        catch (ProduceException<byte[]?, byte[]> e)
        {
            return e.Error.Reason;
        }
    }
}
