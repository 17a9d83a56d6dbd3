using System.Buffers;
using System.Text.Json;
using Streamiz.Kafka.Net.Processors.Public;

namespace RiskStream.StreamizPeer;

/// <summary>
/// The peer's job for one task (one input partition, keyed by site as the pipeline's input is): each reading decoded,
/// its sensor's tumbling one-minute window by event time (count, mean, min, max) updated, the reading held against a
/// fixed alarm threshold for its kind, and one statistics record returned per reading. The state lives in the
/// transformer, as the pipeline's lanes keep theirs: no changelog on either side (the embedded broker cannot create
/// one), and no repartition, since a site's sensors already share its partition.
/// </summary>
internal sealed class SensorWindows : ITransformer<byte[], byte[], byte[], byte[]>
{
    /// <summary>Readings processed by every task of the process (the bench reads it through standard output).</summary>
    public static long Processed;

    private static readonly long WindowTicks = TimeSpan.FromMinutes(1).Ticks;
    private readonly Dictionary<string, Window> windows = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> buffer = new(256);
    private Utf8JsonWriter? writer;

    public void Init(ProcessorContext<byte[], byte[]> context) => writer = new Utf8JsonWriter(buffer);

    public Record<byte[], byte[]> Process(Record<byte[], byte[]> record)
    {
        Interlocked.Increment(ref Processed);
        var reading = Reading.Parse(record.Value);
        if (reading is not { } r)
        {
            return Record<byte[], byte[]>.Create(record.Key, """{"error":"not a reading"}"""u8.ToArray());
        }

        var start = r.Ts.Ticks - (r.Ts.Ticks % WindowTicks);
        if (!windows.TryGetValue(r.Sensor, out var window) || window.Start != start)
        {
            window = new Window { Start = start, Min = double.MaxValue, Max = double.MinValue };
            windows[r.Sensor] = window;
        }

        window.Count++;
        window.Sum += r.Value;
        window.Min = Math.Min(window.Min, r.Value);
        window.Max = Math.Max(window.Max, r.Value);
        var (low, high) = Thresholds(r.Kind);
        buffer.ResetWrittenCount();
        var json = writer!;
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("sensor"u8, r.Sensor);
        json.WriteString("window"u8, new DateTime(window.Start, DateTimeKind.Utc));
        json.WriteNumber("count"u8, window.Count);
        json.WriteNumber("mean"u8, window.Sum / window.Count);
        json.WriteNumber("min"u8, window.Min);
        json.WriteNumber("max"u8, window.Max);
        json.WriteBoolean("alarm"u8, r.Value < low || r.Value > high);
        json.WriteEndObject();
        json.Flush();
        return Record<byte[], byte[]>.Create(record.Key, buffer.WrittenSpan.ToArray());
    }

    public void Close() => writer?.Dispose();

    /// <summary>A fixed normal band per kind (first alarm setpoints of the shipped registry's defaults, rounded).</summary>
    private static (double Low, double High) Thresholds(ReadOnlySpan<char> kind) => kind switch
    {
        "combustible_lel" => (double.MinValue, 20),
        "h2s" => (double.MinValue, 7),
        "co" => (double.MinValue, 17),
        "nh3" => (double.MinValue, 28),
        "cl2" => (double.MinValue, 0.3),
        "o2" => (19.5, 23.5),
        "temperature" => (double.MinValue, 60),
        "pressure" => (double.MinValue, 1_600),
        "tank_level" => (double.MinValue, 90),
        _ => (double.MinValue, double.MaxValue),
    };

    private sealed class Window
    {
        public long Start;
        public long Count;
        public double Sum;
        public double Min;
        public double Max;
    }

    private readonly record struct Reading(string Sensor, string Kind, double Value, DateTime Ts)
    {
        public static Reading? Parse(byte[]? value)
        {
            if (value is null)
            {
                return null;
            }

            try
            {
                var json = new Utf8JsonReader(value);
                string? sensor = null, kind = null;
                double? number = null;
                DateTime? ts = null;
                if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
                {
                    var name = json.ValueSpan;
                    json.Read();
                    if (name.SequenceEqual("sensor"u8))
                    {
                        sensor = json.GetString();
                    }
                    else if (name.SequenceEqual("kind"u8))
                    {
                        kind = json.GetString();
                    }
                    else if (name.SequenceEqual("value"u8))
                    {
                        number = json.GetDouble();
                    }
                    else if (name.SequenceEqual("ts"u8))
                    {
                        ts = json.GetDateTime().ToUniversalTime();
                    }
                    else
                    {
                        json.Skip();
                    }
                }

                return sensor is null || kind is null || number is null || ts is null ? null : new Reading(sensor, kind, number.Value, ts.Value);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                return null;
            }
        }
    }
}
