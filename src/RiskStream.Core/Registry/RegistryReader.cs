using RiskStream.Core.Alarms;

namespace RiskStream.Core.Registry;

/// <summary>
/// Validates a registry document into a <see cref="ParkRegistry"/>, collecting every mistake with the entry it is in.
/// Ids become topic names, message keys, InfluxDB tags, CAP identifiers and shell tokens, so they follow one rule,
/// <see cref="IdRule"/>, checked here where they enter; counts are bounded so a runaway file is refused, not loaded.
/// </summary>
internal sealed class RegistryReader(string source)
{
    /// <summary>Largest registry file read (a national system of 440,000 sensors is about 30 MB).</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    public const int MaxSites = 1_000_000;

    public const int MaxSensorsPerSite = 10_000;

    public const int MaxSensors = 10_000_000;

    /// <summary>What an id may be: a letter or digit, then letters, digits, '.', '_' or '-', 64 at most.</summary>
    public const string IdRule = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    private readonly List<string> _errors = [];

    /// <summary>Whether an id follows <see cref="IdRule"/>.</summary>
    public static bool IsValidId(string? id)
    {
        if (id is not { Length: >= 1 and <= 64 } || !char.IsAsciiLetterOrDigit(id[0]))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    public ParkRegistry Read(RegistryDocument doc)
    {
        var jurisdictions = Jurisdictions(doc.Jurisdictions ?? []);
        var enterprises = Enterprises(doc.Enterprises ?? []);
        var (sites, siteList, sensorCount) = Sites(doc.Sites ?? [], jurisdictions, enterprises, doc.ReportingPeriod);
        var agreements = Agreements(doc.Assistance ?? [], jurisdictions, enterprises);
        if (_errors.Count > 0)
        {
            var shown = _errors.Take(50).ToList();
            var more = _errors.Count > shown.Count ? $"{Environment.NewLine}  ... and {_errors.Count - shown.Count} more" : "";
            throw new RegistryException($"{source}: {_errors.Count} error(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", shown) + more);
        }

        return ParkRegistry.Create(doc.Name, jurisdictions, enterprises, sites, siteList, sensorCount, agreements);
    }

    private bool Id(string? id, string what)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            _errors.Add($"{what} with an empty id");
            return false;
        }

        if (!IsValidId(id))
        {
            _errors.Add($"{what} '{Printable(id)}': an id is a letter or digit, then letters, digits, '.', '_' or '-', at most 64 ({IdRule})");
            return false;
        }

        return true;
    }

    private Dictionary<string, Jurisdiction> Jurisdictions(IReadOnlyList<JurisdictionDocument> documents)
    {
        var jurisdictions = new Dictionary<string, Jurisdiction>(StringComparer.Ordinal);
        foreach (var j in documents)
        {
            if (Id(j.Id, "jurisdiction") && !jurisdictions.TryAdd(j.Id, new Jurisdiction(j.Id, j.Name, j.Level, j.Parent, j.RegionCode) { OrgCode = j.OrgCode }))
            {
                _errors.Add($"jurisdiction '{j.Id}' is declared twice");
            }
        }

        foreach (var j in jurisdictions.Values)
        {
            if (j.Parent is not null && !jurisdictions.ContainsKey(j.Parent))
            {
                _errors.Add($"jurisdiction '{j.Id}': parent '{Printable(j.Parent)}' is not declared");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var cur = j; cur?.Parent is not null; cur = jurisdictions.GetValueOrDefault(cur.Parent))
            {
                if (!seen.Add(cur.Id))
                {
                    _errors.Add($"jurisdiction '{j.Id}': its parents form a cycle");
                    break;
                }
            }
        }

        return jurisdictions;
    }

    private Dictionary<string, Enterprise> Enterprises(IReadOnlyList<EnterpriseDocument> documents)
    {
        var enterprises = new Dictionary<string, Enterprise>(StringComparer.Ordinal);
        foreach (var e in documents)
        {
            if (Id(e.Id, "enterprise") && !enterprises.TryAdd(e.Id, new Enterprise(e.Id, e.Name, e.OrgCode, e.Capabilities ?? [])))
            {
                _errors.Add($"enterprise '{e.Id}' is declared twice");
            }
        }

        return enterprises;
    }

    private (Dictionary<string, SiteDef> Sites, List<SiteDef> SiteList, int SensorCount) Sites(IReadOnlyList<SiteDocument> documents, Dictionary<string, Jurisdiction> jurisdictions, Dictionary<string, Enterprise> enterprises, string? registryPeriod)
    {
        var sites = new Dictionary<string, SiteDef>(StringComparer.Ordinal);
        var siteList = new List<SiteDef>();
        var sensorIndex = 0;
        if (documents.Count > MaxSites)
        {
            _errors.Add($"{documents.Count} sites; a registry holds at most {MaxSites}");
            return (sites, siteList, 0);
        }

        var parkPeriod = Period(registryPeriod, "the registry", SensorDef.DefaultReportingPeriod);
        foreach (var s in documents)
        {
            var where = $"site '{Printable(s.Id)}'";
            if (!Id(s.Id, "site"))
            {
                continue;
            }

            if (!enterprises.TryGetValue(s.Enterprise ?? "", out var owner))
            {
                _errors.Add($"{where}: enterprise '{Printable(s.Enterprise)}' is not declared");
                continue;
            }

            if (!jurisdictions.TryGetValue(s.Jurisdiction ?? "", out var jurisdiction))
            {
                _errors.Add($"{where}: jurisdiction '{Printable(s.Jurisdiction)}' is not declared");
                continue;
            }

            if (s.Lat is < -90 or > 90 || s.Lon is < -180 or > 180 || !double.IsFinite(s.Lat) || !double.IsFinite(s.Lon))
            {
                _errors.Add($"{where}: coordinates ({s.Lat}, {s.Lon}) are not a place on Earth");
            }

            var site = new SiteDef(s.Id, s.Name, owner, jurisdiction, s.Lat, s.Lon, s.MajorHazard, siteList.Count);
            if (!sites.TryAdd(s.Id, site))
            {
                _errors.Add($"{where} is declared twice");
                continue;
            }

            siteList.Add(site);
            site.SetSensors(Sensors(s, site, Period(s.ReportingPeriod, where, parkPeriod), ref sensorIndex));
        }

        return (sites, siteList, sensorIndex);
    }

    /// <summary>A reporting period from the file: a duration with its unit from 100 ms to 1 day, else the inherited one.</summary>
    private TimeSpan Period(string? text, string where, TimeSpan inherited)
    {
        if (text is null)
        {
            return inherited;
        }

        if (Durations.TryParse(text, out var period) && period >= TimeSpan.FromMilliseconds(100) && period <= TimeSpan.FromDays(1))
        {
            return period;
        }

        _errors.Add($"{where}: reportingPeriod '{Printable(text)}' is not a duration with its unit from 100ms to 1d (e.g. 5s, 1m)");
        return inherited;
    }

    private Dictionary<string, SensorDef> Sensors(SiteDocument s, SiteDef site, TimeSpan sitePeriod, ref int sensorIndex)
    {
        var where = $"site '{s.Id}'";
        var sensors = new Dictionary<string, SensorDef>(StringComparer.Ordinal);
        var documents = s.Sensors ?? [];
        if (documents.Count > MaxSensorsPerSite || sensorIndex + documents.Count > MaxSensors)
        {
            _errors.Add($"{where}: {documents.Count} sensors; a site holds at most {MaxSensorsPerSite}, a registry {MaxSensors}");
            return sensors;
        }

        foreach (var d in documents)
        {
            if (!Id(d.Id, $"{where}: sensor"))
            {
                continue;
            }

            if (!Enum.IsDefined(d.Kind))
            {
                _errors.Add($"{where}: sensor '{d.Id}' has an unknown kind");
                continue;
            }

            if (Setpoints(d, where) is not { } setpoints)
            {
                continue;
            }

            if (d.Baseline is { } baseline && !double.IsFinite(baseline))
            {
                _errors.Add($"{where}: sensor '{d.Id}': baseline {baseline} is not a finite number");
                continue;
            }

            if (!sensors.TryAdd(d.Id, new SensorDef(d.Id, site, d.Kind, setpoints, d.Baseline, sensorIndex, Period(d.ReportingPeriod, $"{where}: sensor '{d.Id}'", sitePeriod))))
            {
                _errors.Add($"{where}: sensor '{d.Id}' is declared twice");
                continue;
            }

            sensorIndex++;
        }

        return sensors;
    }

    private Setpoints? Setpoints(SensorDocument d, string where)
    {
        var setpoints = NationalSetpoints.For(d.Kind);
        if (d.Setpoints is not { } o)
        {
            return setpoints;
        }

        if (new[] { o.FirstHigh, o.SecondHigh, o.FirstLow, o.SecondLow }.Any(v => v is { } x && !double.IsFinite(x)))
        {
            _errors.Add($"{where}: sensor '{d.Id}': setpoints must be finite numbers");
            return null;
        }

        setpoints = new Setpoints(o.FirstHigh ?? setpoints.FirstHigh, o.SecondHigh ?? setpoints.SecondHigh, o.FirstLow ?? setpoints.FirstLow, o.SecondLow ?? setpoints.SecondLow);
        if (setpoints.FirstHigh > setpoints.SecondHigh || setpoints.FirstLow < setpoints.SecondLow)
        {
            _errors.Add($"{where}: sensor '{d.Id}': first-level setpoint lies beyond the second-level one");
        }

        return setpoints;
    }

    private List<AssistanceAgreement> Agreements(IReadOnlyList<AgreementDocument> documents, Dictionary<string, Jurisdiction> jurisdictions, Dictionary<string, Enterprise> enterprises)
    {
        var agreements = new List<AssistanceAgreement>();
        foreach (var a in documents)
        {
            var where = $"assistance '{Printable(a.Jurisdiction)}' → '{Printable(a.Enterprise)}' ({Printable(a.Capability)})";
            if (!jurisdictions.ContainsKey(a.Jurisdiction ?? ""))
            {
                _errors.Add($"{where}: jurisdiction '{Printable(a.Jurisdiction)}' is not declared");
            }
            else if (!enterprises.TryGetValue(a.Enterprise ?? "", out var lender))
            {
                _errors.Add($"{where}: enterprise '{Printable(a.Enterprise)}' is not declared");
            }
            else if (!lender.Capabilities.Contains(a.Capability, StringComparer.Ordinal))
            {
                _errors.Add($"{where}: enterprise '{a.Enterprise}' does not list capability '{Printable(a.Capability)}'");
            }
            else if (a.Basis is not (AssistanceAgreement.GovernmentPurchase or AssistanceAgreement.Project))
            {
                _errors.Add($"{where}: basis '{Printable(a.Basis)}' is neither '{AssistanceAgreement.GovernmentPurchase}' nor '{AssistanceAgreement.Project}'");
            }
            else
            {
                agreements.Add(new AssistanceAgreement(a.Jurisdiction!, a.Enterprise!, a.Capability, a.Basis, a.Reference));
            }
        }

        return agreements;
    }

    /// <summary>An id from the file as it can be shown in a message: control characters escaped, cut to 80 characters.</summary>
    private static string Printable(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var cut = text.Length > 80 ? text[..80] + "…" : text;
        return string.Concat(cut.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
