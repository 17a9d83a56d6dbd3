namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// A scenario's texts in another language (a scenario file's <c>translations.&lt;language&gt;</c>): its title, CAP
/// event, assistance request and every action, each keyed by the English text it translates.
/// </summary>
public sealed record ScenarioTranslation(string Title, string CapEvent, string? AssistanceRequest, IReadOnlyDictionary<string, string> Actions)
{
    /// <summary>The languages a scenario file may carry translations for (English is the file's own).</summary>
    public static readonly string[] Languages = ["zh-CN"];
}
