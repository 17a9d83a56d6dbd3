using System.Text.Json;
using System.Text.Json.Serialization;
using RiskStream.Core.Contracts;

namespace RiskStream.DutyConsole;

/// <summary>
/// The console's local accounts, from a users file (JSON array of <see cref="ConsoleUser"/>, written by
/// <c>riskstream console users add</c>). Sign-in costs the same whether or not the user exists.
/// </summary>
public sealed class UserStore
{
    private static readonly string Dummy = PasswordHash.Hash(Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, ConsoleUser> _users = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public UserStore(IEnumerable<ConsoleUser> users)
    {
        foreach (var u in users)
        {
            Add(u);
        }
    }

    public IReadOnlyList<ConsoleUser> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _users.Values.OrderBy(u => u.Name, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>User names: 1 to 64 of a-z, 0-9, '.', '-', '_'.</summary>
    public static bool ValidName(string name) =>
        name.Length is >= 1 and <= 64 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_');

    public void Add(ConsoleUser user)
    {
        if (!ValidName(user.Name))
        {
            throw new ArgumentException($"user name '{user.Name}' may hold only a-z, 0-9, '.', '-' and '_', 1 to 64 of them", nameof(user));
        }

        lock (_lock)
        {
            _users[user.Name] = user;
        }
    }

    /// <summary>The user, if the password is right.</summary>
    public ConsoleUser? SignIn(string name, string password)
    {
        ConsoleUser? user;
        lock (_lock)
        {
            _users.TryGetValue(name, out user);
        }

        var ok = PasswordHash.Verify(password, user?.Hash ?? Dummy);
        return ok && user is not null ? user : null;
    }

    public static UserStore Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"console users file {path} not found (riskstream console users add creates it)", path);
        }

        var users = JsonSerializer.Deserialize(File.ReadAllBytes(path), UsersJson.Default.ConsoleUserArray) ?? [];
        return new UserStore(users);
    }

    public void Save(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(All.ToArray(), UsersJson.Default.ConsoleUserArray));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>A party written <c>ent:E04</c> or <c>gov:310116</c>.</summary>
    public static Party? ParseParty(string text)
    {
        var i = text.IndexOf(':', StringComparison.Ordinal);
        if (i <= 0 || i == text.Length - 1 || !WireNames.TryParseWire<PartyType>(text.AsSpan(0, i), out var type))
        {
            return null;
        }

        return new Party(type, text[(i + 1)..]);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(ConsoleUser[]))]
internal sealed partial class UsersJson : JsonSerializerContext;
