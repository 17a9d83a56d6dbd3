namespace RiskStream.Scenarios.Engine;

/// <summary>
/// The maintenance windows in force, replaceable while the engine runs (an operator edits the silences file): the
/// engine reads the current list at each evaluation, the replacement swaps the whole list at once.
/// </summary>
public sealed class SilenceBook(IReadOnlyList<Silence> initial)
{
    private IReadOnlyList<Silence> _current = initial;

    public IReadOnlyList<Silence> Current => Volatile.Read(ref _current);

    public void Replace(IReadOnlyList<Silence> silences) => Volatile.Write(ref _current, silences);

    /// <summary>Whether a window covers the site (or, with <paramref name="sensor"/>, that sensor) at the time.</summary>
    public bool Covers(string site, string? sensor, long tsMs)
    {
        foreach (var s in Current)
        {
            if (s.Covers(site, sensor, tsMs))
            {
                return true;
            }
        }

        return false;
    }
}
