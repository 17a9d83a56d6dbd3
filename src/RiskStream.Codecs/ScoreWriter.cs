using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Sensors.Windows;

namespace RiskStream.Codecs;

/// <summary>
/// Writes <see cref="Score"/> messages (schemas/score.v2.json) straight to UTF-8, one byte array per message: the
/// fixed parts are UTF-8 literals, ids are copied as they are when they need no escaping, numbers are written as
/// fixed-point decimals. It is the hot path of every lane, about three times cheaper than a general JSON writer, and
/// keeps no per-sensor cache (memory per sensor is a target too).
/// </summary>
/// <remarks>Not thread-safe: one per lane.</remarks>
public sealed class ScoreWriter
{
    private static readonly byte[][] AlarmNames = ["\"none\""u8.ToArray(), "\"first\""u8.ToArray(), "\"second\""u8.ToArray()];
    private readonly Dictionary<string, byte[]> _models = new(StringComparer.Ordinal);
    private byte[] _buffer = new byte[512];
    private int _n;

    public byte[] Write(SensorDef sensor, double value, long tsMs, AlarmLevel alarm, double risk, string model, bool anomalous, in WindowStats window, bool late)
    {
        _n = 0;
        Append("{\"id\":\""u8);
        AppendString(sensor.Site.Id);
        Append("/"u8);
        AppendString(sensor.Id);
        Append("/"u8);
        AppendLong(tsMs);
        Append("\",\"site\":\""u8);
        AppendString(sensor.Site.Id);
        Append("\",\"sensor\":\""u8);
        AppendString(sensor.Id);
        Append(KindParts[(int)sensor.Kind]);       // ","kind":"..","value":
        AppendDecimal(value, 6);
        Append(UnitAndTs(sensor.Kind));             // ,"unit":"..","ts":"
        AppendTimestamp(tsMs);
        Append("\",\"alarm\":"u8);
        Append(AlarmNames[(int)alarm]);
        Append(",\"risk\":"u8);
        AppendDecimal(risk, 4);
        Append(",\"model\":"u8);
        Append(ModelBytes(model));
        Append(anomalous ? ",\"anomalous\":true,\"window\":{\"count\":"u8 : ",\"anomalous\":false,\"window\":{\"count\":"u8);
        AppendLong(window.Count);
        Append(",\"mean\":"u8);
        AppendDecimal(window.Mean, 6);
        Append(",\"min\":"u8);
        AppendDecimal(window.Count == 0 ? 0 : window.Min, 6);
        Append(",\"max\":"u8);
        AppendDecimal(window.Count == 0 ? 0 : window.Max, 6);
        Append(",\"slopePerMin\":"u8);
        AppendDecimal(window.SlopePerMin, 6);
        Append(late ? "},\"late\":true}"u8 : "},\"late\":false}"u8);
        return _buffer.AsSpan(0, _n).ToArray();
    }

    private static readonly byte[][] KindParts = SensorKinds.All
        .Select(k => (byte[])[.. "\",\"kind\":\""u8, .. Encoding.UTF8.GetBytes(k.WireName()), .. "\",\"value\":"u8])
        .ToArray();

    private static readonly byte[][] UnitParts = SensorKinds.All
        .Select(k => (byte[])[.. ",\"unit\":\""u8, .. JsonEncodedText.Encode(k.CanonicalUnit()).EncodedUtf8Bytes, .. "\",\"ts\":\""u8])
        .ToArray();

    private static byte[] UnitAndTs(SensorKind kind) => UnitParts[(int)kind];

    private byte[] ModelBytes(string model)
    {
        if (!_models.TryGetValue(model, out var bytes))
        {
            bytes = [(byte)'"', .. JsonEncodedText.Encode(model).EncodedUtf8Bytes, (byte)'"'];
            _models[model] = bytes;
        }

        return bytes;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_n));
        _n += bytes.Length;
    }

    /// <summary>A JSON string body: copied as is when plain ASCII needing no escape, else escaped.</summary>
    private void AppendString(string text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
            {
                Append(JsonEncodedText.Encode(text).EncodedUtf8Bytes);
                return;
            }
        }

        Ensure(text.Length);
        _n += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_n));
    }

    private void AppendLong(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_n), out var written);
        _n += written;
    }

    /// <summary>A finite number with at most <paramref name="decimals"/> decimals, trailing zeros dropped.</summary>
    internal void AppendDecimal(double value, int decimals)
    {
        Ensure(40);
        var scale = decimals == 4 ? 1e4 : 1e6;
        if (!double.IsFinite(value))
        {
            value = 0; // the decoder refuses non-finite input; a derived NaN (an empty window) is written as 0
        }

        var scaled = Math.Round(value * scale);
        if (Math.Abs(scaled) >= 9e15)
        {
            // Too large for the integer path: the shortest round-trip form.
            Utf8Formatter.TryFormat(value, _buffer.AsSpan(_n), out var w);
            _n += w;
            return;
        }

        var units = (long)scaled;
        if (units < 0)
        {
            _buffer[_n++] = (byte)'-';
            units = -units;
        }

        var factor = decimals == 4 ? 10_000L : 1_000_000L;
        var whole = units / factor;
        var fraction = units % factor;
        Utf8Formatter.TryFormat(whole, _buffer.AsSpan(_n), out var written);
        _n += written;
        if (fraction == 0)
        {
            return;
        }

        var digits = decimals;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        _buffer[_n++] = (byte)'.';
        Utf8Formatter.TryFormat(fraction, _buffer.AsSpan(_n), out written, new StandardFormat('D', (byte)digits));
        _n += written;
    }

    private void AppendTimestamp(long tsMs)
    {
        Ensure(40);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(tsMs).UtcDateTime;
        Utf8Formatter.TryFormat(time, _buffer.AsSpan(_n), out var written, new StandardFormat('O'));
        _n += written;
    }

    private void Ensure(int more)
    {
        if (_n + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _n + more));
        }
    }
}
