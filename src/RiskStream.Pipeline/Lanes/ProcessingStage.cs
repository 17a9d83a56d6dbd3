using System.Text.Json.Serialization;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// Where a lane is in handling one message, so that a failure names its stage: in the dead letter's <c>stage</c>
/// and in the <c>stage</c> label of <c>riskstream_pipeline_processing_errors_total</c>.
/// </summary>
internal enum ProcessingStage
{
    [JsonStringEnumMemberName("decode")] Decode,
    [JsonStringEnumMemberName("score")] Score,
    [JsonStringEnumMemberName("identify")] Identify,
    [JsonStringEnumMemberName("scenario")] Scenario,
    [JsonStringEnumMemberName("render")] Render,
    [JsonStringEnumMemberName("serialise")] Serialise,
}
