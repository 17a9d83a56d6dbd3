using Confluent.Kafka;
using RiskStream.Codecs;
using RiskStream.Core.Contracts;
using RiskStream.Kafka;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// Answers from one party's topic (the topic proves the sender: acknowledge, receipt, dispose, shelve, unshelve,
/// assistance): applied to the warning they name, or refused with a dead letter when the warning is not open here,
/// the sender is not one of its audiences, its role does not permit the answer (<c>not_permitted</c>, naming the
/// role), or the answer does not fit the warning (<c>invalid_response</c>).
/// </summary>
/// <remarks>Not thread-safe: one per lane and topic.</remarks>
internal sealed class AcknowledgementHandler(PipelineContext context, ScenarioEngine engine, LaneStep step, DeadLetters deadLetters, Party sender) : IInputHandler
{
    private readonly AckDecoder _decoder = new(context.Options.Input);
    private readonly string _party = sender.Type.Wire();
    private string? _outcome;

    public void Handle(string topic, ConsumeResult<byte[]?, byte[]?> m, byte[] value, List<OutboundMessage> outputs)
    {
        _outcome = null;
        step.Stage = ProcessingStage.Decode;
        var (ack, reason, detail) = _decoder.Decode(m.Message.Key, value, sender);
        if (ack is null)
        {
            _outcome = "refused";
            outputs.Add(deadLetters.Refused(topic, m, reason, detail));
            return;
        }

        step.Stage = ProcessingStage.Scenario;
        switch (engine.Acknowledge(ack, step.Events, out var why))
        {
            case AckRefusal.NotPermitted:
                _outcome = "refused";
                outputs.Add(deadLetters.Refused(topic, m, DeadLetterReason.NotPermitted, why));
                break;
            case AckRefusal.Invalid:
                _outcome = "refused";
                outputs.Add(deadLetters.Refused(topic, m, DeadLetterReason.InvalidResponse, why));
                break;
            case AckRefusal.UnknownWarning:
                _outcome = "refused";
                outputs.Add(deadLetters.Refused(topic, m, DeadLetterReason.UnknownWarning, $"warning '{ExternalText.Quote(ack.WarningId)}' is not active"));
                break;
            case AckRefusal.NotAnAudience:
                _outcome = "refused";
                outputs.Add(deadLetters.Refused(topic, m, DeadLetterReason.UnauthorisedParty, $"{sender.Address()} is not an audience of warning '{ExternalText.Quote(ack.WarningId)}'"));
                break;
            case AckRefusal.Duplicate:
                _outcome = "duplicate";
                break;
            default:
                _outcome = "accepted";
                break;
        }
    }

    public void Commit()
    {
        if (_outcome is { } outcome)
        {
            context.Metrics.Acks.WithLabels(_party, outcome).Inc();
            _outcome = null;
        }
    }

    public void Discard() => _outcome = null;

    public void EndBatch()
    {
    }
}
