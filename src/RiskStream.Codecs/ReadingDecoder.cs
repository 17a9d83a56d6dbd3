using System.Text;
using System.Text.Json;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Codecs;

/// <summary>
/// Decodes and validates reading messages straight from UTF-8 with <see cref="Utf8JsonReader"/>, looking ids up in
/// the registry without allocating strings. Enforces DESIGN.md's limits on bad input.
/// </summary>
/// <remarks>Stateless apart from its options: safe to share between lanes.</remarks>
public sealed class ReadingDecoder(ParkRegistry registry, InputLimits limits, TimeProvider time)
{
    private const int MaxIdChars = 128;

    public DecodeResult Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (value.Length > limits.MaxReadingBytes)
        {
            return DecodeResult.Refused(DeadLetterReason.Oversized, $"message is {value.Length} bytes; the limit is {limits.MaxReadingBytes}");
        }

        Span<char> site = stackalloc char[MaxIdChars];
        Span<char> sensor = stackalloc char[MaxIdChars];
        Span<char> kind = stackalloc char[MaxIdChars];
        Span<char> unit = stackalloc char[MaxIdChars];
        int siteLen = -1, sensorLen = -1, kindLen = -1, unitLen = -1;
        double number = double.NaN;
        var hasValue = false;
        DateTimeOffset ts = default;
        var hasTs = false;
        try
        {
            var reader = new Utf8JsonReader(value, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return DecodeResult.Refused(DeadLetterReason.MalformedJson, "a reading is a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                DecodeResult? err = null;
                if (reader.ValueTextEquals("site"u8))
                {
                    siteLen = ReadId(ref reader, site, "site", out err);
                }
                else if (reader.ValueTextEquals("sensor"u8))
                {
                    sensorLen = ReadId(ref reader, sensor, "sensor", out err);
                }
                else if (reader.ValueTextEquals("kind"u8))
                {
                    kindLen = ReadId(ref reader, kind, "kind", out err);
                }
                else if (reader.ValueTextEquals("unit"u8))
                {
                    unitLen = ReadId(ref reader, unit, "unit", out err);
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        return DecodeResult.Refused(IsNonFiniteName(reader.ValueSpan) ? DeadLetterReason.NonFinite : DeadLetterReason.MalformedJson, "value must be a finite JSON number");
                    }

                    if (reader.TokenType != JsonTokenType.Number)
                    {
                        return DecodeResult.Refused(DeadLetterReason.MalformedJson, $"value must be a number, not {reader.TokenType}");
                    }

                    if (!reader.TryGetDouble(out number) || !double.IsFinite(number))
                    {
                        return DecodeResult.Refused(DeadLetterReason.NonFinite, "value is not a finite double");
                    }

                    hasValue = true;
                }
                else if (reader.ValueTextEquals("ts"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out ts))
                    {
                        return DecodeResult.Refused(DeadLetterReason.MalformedJson, "ts must be an ISO 8601 date-time string");
                    }

                    hasTs = true;
                }
                else
                {
                    // Unknown fields are allowed (forward compatibility of the v1 contract).
                    reader.Read();
                    reader.Skip();
                }

                if (err is { } refused)
                {
                    return refused;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return DecodeResult.Refused(DeadLetterReason.MalformedJson, "unexpected content after the reading object");
            }
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader refuses to unescape a lone UTF-16 surrogate ("\ud800") into text.
            return DecodeResult.Refused(DeadLetterReason.MalformedJson, "a string holds an escape that is not valid UTF-16 (a lone surrogate)");
        }
        catch (JsonException e)
        {
            var text = Encoding.UTF8.GetString(value);
            var nonFinite = text.Contains("NaN", StringComparison.Ordinal) || text.Contains("Infinity", StringComparison.Ordinal);
            return DecodeResult.Refused(nonFinite ? DeadLetterReason.NonFinite : DeadLetterReason.MalformedJson, nonFinite ? "value is NaN or Infinity, which JSON cannot carry" : $"not valid JSON: {e.Message}");
        }

        if (siteLen < 0 || sensorLen < 0 || kindLen < 0 || unitLen < 0 || !hasValue || !hasTs)
        {
            return DecodeResult.Refused(DeadLetterReason.MissingField, "a reading needs site, sensor, kind, value, unit and ts; missing: " + Missing(siteLen, sensorLen, kindLen, unitLen, hasValue, hasTs));
        }

        if (!registry.TryGetSite(site[..siteLen], out var siteDef))
        {
            return DecodeResult.Refused(DeadLetterReason.UnknownSite, $"site '{site[..siteLen]}' is not in the registry");
        }

        if (!KeyMatches(key, site[..siteLen]))
        {
            return DecodeResult.Refused(DeadLetterReason.KeyMismatch, $"message key must be the site id '{siteDef.Id}' so that a site's readings share a partition");
        }

        if (!siteDef.TryGetSensor(sensor[..sensorLen], out var sensorDef))
        {
            return DecodeResult.Refused(DeadLetterReason.UnknownSensor, $"sensor '{sensor[..sensorLen]}' is not registered at site '{siteDef.Id}'");
        }

        if (!SensorKinds.TryParse(kind[..kindLen], out var kindValue))
        {
            return DecodeResult.Refused(DeadLetterReason.UnknownKind, $"kind '{kind[..kindLen]}' is not one of {string.Join(", ", SensorKinds.All.Select(k => k.WireName()))}");
        }

        if (kindValue != sensorDef.Kind)
        {
            return DecodeResult.Refused(DeadLetterReason.KindMismatch, $"sensor '{sensorDef}' measures {sensorDef.Kind.WireName()}, not {kindValue.WireName()}");
        }

        if (!kindValue.TryToCanonical(unit[..unitLen], number, out var canonical))
        {
            return DecodeResult.Refused(DeadLetterReason.WrongUnit, $"unit '{unit[..unitLen]}' is not a unit of {kindValue.WireName()} (expected {kindValue.CanonicalUnit()})");
        }

        var (min, max) = kindValue.PlausibleRange();
        if (canonical < min || canonical > max)
        {
            return DecodeResult.Refused(DeadLetterReason.OutOfRange, $"{canonical} {kindValue.CanonicalUnit()} is outside the physical range [{min}, {max}] of {kindValue.WireName()}");
        }

        var now = time.GetUtcNow();
        if (ts > now + limits.MaxFutureSkew)
        {
            return DecodeResult.Refused(DeadLetterReason.FutureTimestamp, $"ts {ts:O} is more than {limits.MaxFutureSkew} ahead of the clock ({now:O})");
        }

        if (ts < now - limits.MaxAge)
        {
            return DecodeResult.Refused(DeadLetterReason.TooOld, $"ts {ts:O} is more than {limits.MaxAge} behind the clock ({now:O}); history is loaded into InfluxDB, not replayed as live readings");
        }

        return new DecodeResult(new ValidReading(sensorDef, canonical, ts.ToUnixTimeMilliseconds()), null, null);
    }

    private static int ReadId(ref Utf8JsonReader reader, scoped Span<char> buffer, string field, out DecodeResult? error)
    {
        reader.Read();
        error = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            error = DecodeResult.Refused(DeadLetterReason.MalformedJson, $"{field} must be a string");
            return -1;
        }

        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxIdChars)
        {
            error = DecodeResult.Refused(DeadLetterReason.OutOfRange, $"{field} is longer than {MaxIdChars} characters");
            return -1;
        }

        return reader.CopyString(buffer);
    }

    private static bool KeyMatches(ReadOnlySpan<byte> key, ReadOnlySpan<char> site)
    {
        Span<byte> utf8 = stackalloc byte[MaxIdChars * 3];
        var n = Encoding.UTF8.GetBytes(site, utf8);
        return key.SequenceEqual(utf8[..n]);
    }

    private static bool IsNonFiniteName(ReadOnlySpan<byte> s) =>
        s.SequenceEqual("NaN"u8) || s.SequenceEqual("Infinity"u8) || s.SequenceEqual("-Infinity"u8) || s.SequenceEqual("inf"u8) || s.SequenceEqual("-inf"u8);

    private static string Missing(int site, int sensor, int kind, int unit, bool value, bool ts) =>
        string.Join(", ", new[] { site < 0 ? "site" : null, sensor < 0 ? "sensor" : null, kind < 0 ? "kind" : null, unit < 0 ? "unit" : null, value ? null : "value", ts ? null : "ts" }.OfType<string>());
}
