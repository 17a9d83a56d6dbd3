namespace RiskStream.Core.Contracts;

/// <summary>Why an input was refused. The wire name is the <c>reason</c> label of the dead-letter counter.</summary>
public enum DeadLetterReason
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("oversized")] Oversized,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("malformed_json")] MalformedJson,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("missing_field")] MissingField,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("non_finite")] NonFinite,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("out_of_range")] OutOfRange,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("unknown_site")] UnknownSite,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("unknown_sensor")] UnknownSensor,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("unknown_kind")] UnknownKind,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("kind_mismatch")] KindMismatch,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("wrong_unit")] WrongUnit,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("future_timestamp")] FutureTimestamp,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("too_many_points")] TooManyPoints,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("key_mismatch")] KeyMismatch,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("unauthorised_party")] UnauthorisedParty,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("unknown_warning")] UnknownWarning,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("too_old")] TooOld,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("invalid_text")] InvalidText,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("processing_error")] ProcessingError,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("not_permitted")] NotPermitted,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("invalid_response")] InvalidResponse,
}
