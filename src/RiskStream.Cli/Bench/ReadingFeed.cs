using System.Buffers.Text;
using System.Text;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Cli.Bench;

/// <summary>
/// Fast reading messages for load: a prebuilt prefix per sensor, then a value (the kind's normal baseline with the
/// simulator's noise for the kind, so the models see normal operation) and a fresh timestamp.
/// </summary>
internal sealed class ReadingFeed
{
    private readonly byte[][] _prefixes;
    private readonly byte[][] _suffixes;
    private readonly byte[][] _keys;
    private readonly double[] _values;
    private readonly double[] _spread;
    private int _next;
    private uint _noise = 2463534242;

    public ReadingFeed(ParkRegistry registry)
    {
        var sensors = registry.SiteList.SelectMany(s => s.Sensors).OrderBy(s => s.Index).ToArray();
        _prefixes = sensors.Select(s => Encoding.UTF8.GetBytes($"{{\"site\":\"{s.Site.Id}\",\"sensor\":\"{s.Id}\",\"kind\":\"{s.Kind.WireName()}\",\"value\":")).ToArray();
        _suffixes = sensors.Select(s => Encoding.UTF8.GetBytes($",\"unit\":\"{s.Kind.CanonicalUnit()}\",\"ts\":\"")).ToArray();
        _keys = sensors.Select(s => Encoding.UTF8.GetBytes(s.Site.Id)).ToArray();
        _values = sensors.Select(s => s.Baseline ?? Simulation.ParkSimulator.DefaultBaseline(s.Kind)).ToArray();
        // Uniform noise on ±√3σ has the standard deviation σ of the simulator's noise for the kind.
        _spread = sensors.Select((s, i) => Math.Sqrt(3) * Simulation.ParkSimulator.NoiseOf(s.Kind, _values[i])).ToArray();
        Sensors = sensors.Length;
    }

    public int Sensors { get; }

    /// <summary>The next sensor's reading (round robin) at <paramref name="ts"/>.</summary>
    public (byte[] Key, byte[] Value) Next(DateTime ts)
    {
        var i = _next;
        _next = (_next + 1) % Sensors;
        Span<byte> buffer = stackalloc byte[256];
        var prefix = _prefixes[i];
        prefix.CopyTo(buffer);
        var n = prefix.Length;
        // Baseline and noise (xorshift): normal operation, no sensor stuck at one value.
        _noise ^= _noise << 13;
        _noise ^= _noise >> 17;
        _noise ^= _noise << 5;
        var jitter = ((int)(_noise % 2001) - 1000) / 1000.0;
        Utf8Formatter.TryFormat(Math.Round(_values[i] + (jitter * _spread[i]), 4), buffer[n..], out var w);
        n += w;
        _suffixes[i].CopyTo(buffer[n..]);
        n += _suffixes[i].Length;
        Utf8Formatter.TryFormat(ts, buffer[n..], out w, new System.Buffers.StandardFormat('O'));
        n += w;
        buffer[n++] = (byte)'"';
        buffer[n++] = (byte)'}';
        return (_keys[i], buffer[..n].ToArray());
    }
}
