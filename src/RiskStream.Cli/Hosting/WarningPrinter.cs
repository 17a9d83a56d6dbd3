using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using RiskStream.Core.Contracts;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// Prints warning events on stdout: one JSON object per line with <c>--json</c>, else one coloured line each. Lanes
/// hand events over through an unbounded channel, so printing never slows scoring.
/// </summary>
internal sealed class WarningPrinter
{
    private readonly Channel<WarningEvent> _events = Channel.CreateUnbounded<WarningEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly bool _json;
    private readonly bool _colour;
    private readonly TextWriter _out;
    private readonly Task _loop;

    public WarningPrinter(bool json, TextWriter output, bool colour)
    {
        _json = json;
        _out = output;
        _colour = colour;
        _loop = Task.Run(PrintAsync);
    }

    public long Printed { get; private set; }

    public void Post(WarningEvent warning) => _events.Writer.TryWrite(warning);

    public async Task CompleteAsync()
    {
        _events.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task PrintAsync()
    {
        await foreach (var e in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _out.WriteLineAsync(_json ? JsonSerializer.Serialize(e, ContractJson.Default.WarningEvent) : Format(e, _colour)).ConfigureAwait(false);
            await _out.FlushAsync().ConfigureAwait(false);
            Printed++;
        }
    }

    public static string Format(WarningEvent e, bool colour)
    {
        var level = e.Level.ToString().ToUpperInvariant();
        var code = e.Level switch
        {
            WarningLevel.Blue => "34",
            WarningLevel.Yellow => "33",
            WarningLevel.Orange => "38;5;208",
            _ => "31",
        };
        var sb = new StringBuilder();
        sb.Append(e.Time.ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Append(' ');
        sb.Append(e.Status.ToString().ToUpperInvariant().PadRight(13));
        sb.Append(colour ? $"\u001b[1;{code}m{level,-7}\u001b[0m" : level.PadRight(7)).Append(' ');
        sb.Append(e.Scenario).Append(" at ").Append(e.Site).Append(" (").Append(e.Enterprise).Append(", ").Append(e.Jurisdiction).Append(')');
        if (e.Evidence.Count > 0)
        {
            sb.Append("  ").AppendJoin(", ", e.Evidence.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Sensor}={x.Value:0.##}{x.Unit}")));
        }

        // What people read first: the substances found, why this event happened, and who has answered.
        foreach (var found in e.Identifications?.TakeLast(3) ?? [])
        {
            sb.Append("  ").Append(found.Substance).Append(" (").AppendJoin("/", found.HazardClasses ?? [found.HazardClass]).Append(string.Create(CultureInfo.InvariantCulture, $", {found.Score:0.00})"));
        }

        if (e.Reason is { Length: > 0 } reason && e.Status != WarningStatus.Raised)
        {
            sb.Append("  — ").Append(reason.Length > 160 ? reason[..160] + "…" : reason);
        }

        sb.Append("  → ").AppendJoin(", ", e.Audiences.Take(6).Select(a => a.Address())).Append(e.Audiences.Count > 6 ? $" +{e.Audiences.Count - 6}" : "");
        var duties = e.Responses?.Where(r => r.Role is ResponseRole.Owner or ResponseRole.Regulator).Take(3).Select(r => $"{r.Role.Wire()} {r.Party.Id} {r.Status.Wire()}").ToList();
        if (duties is { Count: > 0 })
        {
            sb.Append("  [").AppendJoin("; ", duties).Append(']');
        }

        if (e.Disposition is { } d)
        {
            sb.Append("  disposition ").Append(d.Reason.Wire());
        }

        sb.Append("  #").Append(e.Seq).Append(' ').Append(e.Id);
        return sb.ToString();
    }
}
