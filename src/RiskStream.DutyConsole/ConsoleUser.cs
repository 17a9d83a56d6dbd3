using RiskStream.Core.Contracts;

namespace RiskStream.DutyConsole;

/// <summary>What a console user may do within its party: answer warnings (<c>operator</c>) or only see them (<c>viewer</c>).</summary>
public enum ConsoleRole
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("operator")] Operator,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("viewer")] Viewer,
}

/// <summary>A console account: bound to one party and one role; <see cref="Hash"/> is a <see cref="PasswordHash"/>.</summary>
public sealed record ConsoleUser(string Name, string DisplayName, Party Party, ConsoleRole Role, string Hash);
