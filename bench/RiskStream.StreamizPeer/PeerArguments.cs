namespace RiskStream.StreamizPeer;

/// <summary>The peer's command line: where to read and write, and how many stream threads.</summary>
internal sealed record PeerArguments(string Bootstrap, string Input, string Output, string ApplicationId, int Threads)
{
    /// <summary>The arguments, or null when one is missing or malformed (the caller prints the usage).</summary>
    public static PeerArguments? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (args.Length % 2 != 0
            || !values.TryGetValue("bootstrap", out var bootstrap)
            || !values.TryGetValue("input", out var input)
            || !values.TryGetValue("output", out var output)
            || !values.TryGetValue("application-id", out var id))
        {
            return null;
        }

        var threads = 1;
        if (values.TryGetValue("threads", out var t) && (!int.TryParse(t, out threads) || threads is < 1 or > 64))
        {
            return null;
        }

        return new PeerArguments(bootstrap, input, output, id, threads);
    }
}
