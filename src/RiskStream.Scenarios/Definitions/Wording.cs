using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// The few fixed words a warning is shown with in each language (the level's name); the scenario's own texts come
/// from its file (<see cref="ScenarioTranslation"/>).
/// </summary>
public static class Wording
{
    /// <summary>The level as the national four-colour scale names it: 蓝色（IV级）… 红色（I级）; Blue (IV) … Red (I).</summary>
    public static string Level(WarningLevel level, string language) => (level, language.StartsWith("zh", StringComparison.Ordinal)) switch
    {
        (WarningLevel.Blue, true) => "蓝色（IV级）",
        (WarningLevel.Yellow, true) => "黄色（III级）",
        (WarningLevel.Orange, true) => "橙色（II级）",
        (_, true) => "红色（I级）",
        (WarningLevel.Blue, false) => "Blue (IV)",
        (WarningLevel.Yellow, false) => "Yellow (III)",
        (WarningLevel.Orange, false) => "Orange (II)",
        _ => "Red (I)",
    };
}
