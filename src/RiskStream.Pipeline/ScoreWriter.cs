using System.Buffers;
using System.Globalization;
using System.Text.Json;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Windows;

namespace RiskStream.Pipeline;

/// <summary>
/// Writes <see cref="Score"/> messages (schemas/score.v1.json) without building the record: one reusable writer per
/// lane, one byte array per message.
/// </summary>
/// <remarks>Not thread-safe: one per lane.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The writer wraps a managed buffer; there is nothing to release.")]
internal sealed class ScoreWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;

    public ScoreWriter() => _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    public byte[] Write(SensorDef sensor, double value, long tsMs, AlarmLevel alarm, double risk, string model, in WindowStats window, bool late)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        var site = sensor.Site.Id;
        Span<char> id = stackalloc char[site.Length + sensor.Id.Length + 24];
        site.CopyTo(id);
        var n = site.Length;
        id[n++] = '/';
        sensor.Id.CopyTo(id[n..]);
        n += sensor.Id.Length;
        id[n++] = '/';
        tsMs.TryFormat(id[n..], out var written, provider: CultureInfo.InvariantCulture);
        n += written;

        _json.WriteStartObject();
        _json.WriteString("id"u8, id[..n]);
        _json.WriteString("site"u8, site);
        _json.WriteString("sensor"u8, sensor.Id);
        _json.WriteString("kind"u8, sensor.Kind.WireName());
        _json.WriteNumber("value"u8, Math.Round(value, 6));
        _json.WriteString("unit"u8, sensor.Kind.CanonicalUnit());
        _json.WriteString("ts"u8, DateTimeOffset.FromUnixTimeMilliseconds(tsMs).UtcDateTime);
        _json.WriteString("alarm"u8, alarm switch { AlarmLevel.First => "first", AlarmLevel.Second => "second", _ => "none" });
        _json.WriteNumber("risk"u8, Math.Round(risk, 4));
        _json.WriteString("model"u8, model);
        _json.WriteStartObject("window"u8);
        _json.WriteNumber("count"u8, window.Count);
        _json.WriteNumber("mean"u8, Math.Round(window.Mean, 6));
        _json.WriteNumber("min"u8, window.Count == 0 ? 0 : Math.Round(window.Min, 6));
        _json.WriteNumber("max"u8, window.Count == 0 ? 0 : Math.Round(window.Max, 6));
        _json.WriteNumber("slopePerMin"u8, Math.Round(window.SlopePerMin, 6));
        _json.WriteEndObject();
        _json.WriteBoolean("late"u8, late);
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan.ToArray();
    }
}
