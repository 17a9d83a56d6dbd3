using RiskStream.Codecs;
using RiskStream.Core.Options;
using RiskStream.Sensors.Windows;

namespace RiskStream.Pipeline;

/// <summary>Options of the scoring pipeline (configuration section <c>RiskStream:Pipeline</c>), declared in <see cref="Declared"/>.</summary>
public sealed record PipelineOptions
{
    /// <summary>Consumer group of the pipeline.</summary>
    public string GroupId { get; init; } = "riskstream";

    /// <summary>Parallel lanes; a site's readings always go to the same lane.</summary>
    public int Lanes { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Limits on what is accepted from outside and on dead letters.</summary>
    public InputLimits Input { get; init; } = new();

    public WindowOptions Window { get; init; } = new();

    /// <summary>How often (event time, per site) the state of active warnings is written again to the state topic.</summary>
    public TimeSpan StateRepublishInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest a lane may take to restore one partition's warning state before the pipeline fails (and restarts).</summary>
    public TimeSpan StateRestoreTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How far back the state audit reads riskstream.warnings for warnings the parties were told are open (zero: no audit).</summary>
    public TimeSpan StateAuditWindow { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How long a drain on shutdown may take before the consumer closes anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often processing time reaches every lane with no message (silence, deadlines, escalation); zero for never.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How far ahead of the clock a reading's time may move its sensor's window and its site's clock.</summary>
    public TimeSpan ClockTolerance { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest warning event or warning-state record written; acknowledgements and identifications beyond it are summarised.</summary>
    public int MaxWarningBytes { get; init; } = 256 * 1024;

    /// <summary>Which scores are published: every one (the default), or by exception.</summary>
    public ScoreReportingOptions Scores { get; init; } = new();

    /// <summary>First back-off before a failed pipeline is started again.</summary>
    public TimeSpan RestartMinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest back-off between restarts of a failed pipeline.</summary>
    public TimeSpan RestartMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every option of the section, its range and meaning.</summary>
    public static OptionSet<PipelineOptions> Declared { get; } = new(
        "RiskStream:Pipeline",
        new PipelineOptions(),
        [
            Declare.Text<PipelineOptions>("GroupId", o => o.GroupId, (o, v) => o with { GroupId = v }, "a Kafka group id", "consumer group of the pipeline", "--group", v => v.Length <= 249),
            Declare.Int<PipelineOptions>("Lanes", o => o.Lanes, (o, v) => o with { Lanes = v }, 1, 64, "parallel lanes, hashed by site", "--lanes", shownDefault: "min(cores, 4)"),
            Declare.Int<PipelineOptions>("MaxReadingBytes", o => o.Input.MaxReadingBytes, (o, v) => o with { Input = o.Input with { MaxReadingBytes = v } }, 256, 4 * 1024 * 1024, "largest reading accepted, in bytes; larger is dead-lettered as oversized"),
            Declare.Int<PipelineOptions>("MaxSpectrumBytes", o => o.Input.MaxSpectrumBytes, (o, v) => o with { Input = o.Input with { MaxSpectrumBytes = v } }, 1024, 16 * 1024 * 1024, "largest spectrum message accepted, in bytes"),
            Declare.Int<PipelineOptions>("MaxAckBytes", o => o.Input.MaxAckBytes, (o, v) => o with { Input = o.Input with { MaxAckBytes = v } }, 1024, 1024 * 1024, "largest acknowledgement accepted, in bytes"),
            Declare.Duration<PipelineOptions>("MaxFutureSkew", o => o.Input.MaxFutureSkew, (o, v) => o with { Input = o.Input with { MaxFutureSkew = v } }, TimeSpan.Zero, TimeSpan.FromDays(1), "how far ahead of the clock an input's ts may be (future_timestamp beyond)"),
            Declare.Duration<PipelineOptions>("MaxAge", o => o.Input.MaxAge, (o, v) => o with { Input = o.Input with { MaxAge = v } }, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365), "how far behind the clock an input's ts may be (too_old beyond)"),
            Declare.Int<PipelineOptions>("MaxTextChars", o => o.Input.MaxTextChars, (o, v) => o with { Input = o.Input with { MaxTextChars = v } }, 16, 100_000, "longest free text accepted from outside (an acknowledgement's text), in characters"),
            Declare.Int<PipelineOptions>("MaxNameChars", o => o.Input.MaxNameChars, (o, v) => o with { Input = o.Input with { MaxNameChars = v } }, 8, 1024, "longest name accepted from outside (who acknowledged, a spectrum's device and sample)"),
            Declare.Int<PipelineOptions>("MaxDeadLetterBytes", o => o.Input.MaxDeadLetterBytes, (o, v) => o with { Input = o.Input with { MaxDeadLetterBytes = v } }, 16 * 1024, 1024 * 1024, "largest dead letter written; the original value is cut to its head beyond it"),
            Declare.Duration<PipelineOptions>("WindowLength", o => o.Window.Length, (o, v) => o with { Window = o.Window with { Length = v } }, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "per-sensor sliding event-time window"),
            Declare.Int<PipelineOptions>("WindowPanes", o => o.Window.Panes, (o, v) => o with { Window = o.Window with { Panes = v } }, 1, 60, "panes of the window; it slides one pane at a time"),
            Declare.Duration<PipelineOptions>("AllowedLateness", o => o.Window.AllowedLateness, (o, v) => o with { Window = o.Window with { AllowedLateness = v } }, TimeSpan.Zero, TimeSpan.FromHours(1), "how late a reading may be and still enter its window (at most the window length)"),
            Declare.Duration<PipelineOptions>("TickInterval", o => o.TickInterval, (o, v) => o with { TickInterval = v }, TimeSpan.Zero, TimeSpan.FromMinutes(1), "how often processing time reaches every lane with no message, for silence, deadlines and escalation (0s = never)"),
            Declare.Duration<PipelineOptions>("ClockTolerance", o => o.ClockTolerance, (o, v) => o with { ClockTolerance = v }, TimeSpan.Zero, TimeSpan.FromMinutes(1), "how far ahead of the clock a reading's ts may move its window and its site's clock (a later ts counts as this far ahead)"),
            Declare.Int<PipelineOptions>("MaxWarningBytes", o => o.MaxWarningBytes, (o, v) => o with { MaxWarningBytes = v }, 16 * 1024, 4 * 1024 * 1024, "largest warning event or warning-state record; older acknowledgements and identifications beyond it are summarised"),
            Declare.Duration<PipelineOptions>("StateRepublishInterval", o => o.StateRepublishInterval, (o, v) => o with { StateRepublishInterval = v }, TimeSpan.Zero, TimeSpan.FromDays(1), "per site, how often (event time) active warning state is written again to riskstream.warning-state (0s = never)"),
            Declare.Duration<PipelineOptions>("StateAuditWindow", o => o.StateAuditWindow, (o, v) => o with { StateAuditWindow = v }, TimeSpan.Zero, TimeSpan.FromDays(30), "after an assignment, how far back riskstream.warnings is read to find warnings left open whose state was lost (closed with a Cancel, reason state_lost); 0s = no audit"),
            Declare.Duration<PipelineOptions>("StateRestoreTimeout", o => o.StateRestoreTimeout, (o, v) => o with { StateRestoreTimeout = v }, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "longest a lane may take to restore a partition's warning state"),
            Declare.Duration<PipelineOptions>("DrainTimeout", o => o.DrainTimeout, (o, v) => o with { DrainTimeout = v }, TimeSpan.Zero, TimeSpan.FromMinutes(10), "longest drain on shutdown before the consumer closes anyway"),
            Declare.Choice<PipelineOptions, ScorePublishing>("ScorePublishing", o => o.Scores.Mode, (o, v) => o with { Scores = o.Scores with { Mode = v } }, new Dictionary<string, ScorePublishing> { ["every"] = ScorePublishing.Every, ["exception"] = ScorePublishing.Exception }, "every: every reading's score goes to riskstream.scores; exception: a sensor's score only when in alarm, anomalous, late, changed in level or anomaly, out of the deadbands below, or first of its reporting period (every reading is still scored and still reaches the scenarios)", "--score-publishing"),
            Declare.Double<PipelineOptions>("ScoreRiskDeadband", o => o.Scores.RiskDeadband, (o, v) => o with { Scores = o.Scores with { RiskDeadband = v } }, 0, 1, "report by exception: a risk that moved by more than this from the sensor's last published risk is published"),
            Declare.Double<PipelineOptions>("ScoreValueDeadband", o => o.Scores.ValueDeadband, (o, v) => o with { Scores = o.Scores with { ValueDeadband = v } }, 0, 1, "report by exception: a value that moved by more than this share of the sensor's first alarm setpoint (else its baseline, else 1) is published"),
            Declare.Duration<PipelineOptions>("ScoreMaxInterval", o => o.Scores.MaxInterval, (o, v) => o with { Scores = o.Scores with { MaxInterval = v } }, TimeSpan.Zero, TimeSpan.FromDays(1), "report by exception: at least one score per sensor in each interval of this length (0s = its reporting period, which keeps the data-quality KPIs exact)"),
            Declare.Duration<PipelineOptions>("RestartMinBackoff", o => o.RestartMinBackoff, (o, v) => o with { RestartMinBackoff = v }, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5), "first back-off before a failed pipeline is started again"),
            Declare.Duration<PipelineOptions>("RestartMaxBackoff", o => o.RestartMaxBackoff, (o, v) => o with { RestartMaxBackoff = v }, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), "longest back-off between restarts of a failed pipeline"),
        ],
        check: o => o.Window.AllowedLateness > o.Window.Length ? "AllowedLateness must not exceed WindowLength"
            : o.RestartMinBackoff > o.RestartMaxBackoff ? "RestartMinBackoff must not exceed RestartMaxBackoff"
            : string.IsNullOrWhiteSpace(o.GroupId) ? "GroupId must not be empty"
            : null);

    /// <summary>Checks options built in code (tests, bench) by the same rules as those read from configuration.</summary>
    public void Validate()
    {
        foreach (var spec in Declared.Specs)
        {
            spec.Check(this);
        }

        Declared.Checked(this);
    }
}
