using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Codecs;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Kafka;
using RiskStream.Raman.Processing;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// Raman spectra: decode and validate, identify against the reference library, publish the identification (key =
/// site) and feed every substance found (the best match, its family when the species is not confirmed, or each
/// component of a mixture) to the scenario engine: a family answer is a finding with the family's hazard classes.
/// </summary>
/// <remarks>Not thread-safe: one per lane.</remarks>
internal sealed class SpectrumHandler(PipelineContext context, ScenarioEngine engine, LaneStep step, DeadLetters deadLetters, Identifier identifier) : IInputHandler
{
    private readonly SpectrumDecoder _decoder = new(context.Registry, context.Options.Input, context.Time);
    private readonly Dictionary<string, Reference> _references = identifier.References.ToDictionary(r => r.Name, StringComparer.Ordinal);
    private string? _outcome;

    public void Handle(string topic, ConsumeResult<byte[]?, byte[]?> m, byte[] value, List<OutboundMessage> outputs)
    {
        _outcome = null;
        var sourceTs = m.Message.Timestamp.UnixTimestampMs;
        step.Stage = ProcessingStage.Decode;
        var (spectrum, reason, detail) = _decoder.Decode(m.Message.Key ?? [], value);
        if (spectrum is null)
        {
            outputs.Add(deadLetters.Refused(topic, m, reason, detail));
            return;
        }

        step.Seen(spectrum.Site, m.Partition.Value);
        step.Stage = ProcessingStage.Identify;
        var time = context.Time;
        var started = time.GetTimestamp();
        var result = identifier.Identify(spectrum.Wavenumbers, spectrum.Intensities);
        context.Metrics.IdentifySeconds.Observe(time.GetElapsedTime(started).TotalSeconds);
        var identification = IdentificationEvents.Of(spectrum, result, _references);
        if (!IdentificationEvents.IsFinite(identification))
        {
            throw new ArithmeticException("the identification has a score that is not a finite number");
        }

        step.Stage = ProcessingStage.Serialise;
        outputs.Add(new OutboundMessage(Topics.Identifications, m.Message.Key, JsonSerializer.SerializeToUtf8Bytes(identification, ContractJson.Default.IdentificationEvent), sourceTs));

        step.Stage = ProcessingStage.Scenario;
        var tsMs = spectrum.Message.Ts.ToUnixTimeMilliseconds();
        var purpose = spectrum.Message.Purpose.Wire();
        var model = $"raman-library/{result.LibraryVersion}";
        var found = result.Mixture.Count > 0
            ? identification.Mixture.Select(c => new IdentificationObservation(spectrum.Site, c.Name, c.HazardClasses, purpose, identification.Score, spectrum.Message.Sample, tsMs, model)).ToArray()
            : result.Unknown ? [] : [new IdentificationObservation(spectrum.Site, identification.Substance ?? identification.Family!.Name, identification.HazardClasses, purpose, identification.Score, spectrum.Message.Sample, tsMs, model)];
        if (found.Length > 0)
        {
            engine.Identify(found, step.Events);
        }

        _outcome = result.Unknown ? "unknown" : result.Mixture.Count > 0 ? "mixture" : result.Family is not null ? "family" : "identified";
    }

    public void Commit()
    {
        if (_outcome is { } outcome)
        {
            context.Metrics.Spectra.WithLabels(outcome).Inc();
            _outcome = null;
        }
    }

    public void Discard() => _outcome = null;

    public void EndBatch()
    {
    }
}
