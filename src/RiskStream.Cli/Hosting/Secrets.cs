using RiskStream.Core.Options;

namespace RiskStream.Cli.Hosting;

/// <summary>Secrets come from the environment or from a file named by an option, never from a settings file, and are never logged.</summary>
internal static class Secrets
{
    /// <summary>The environment variable's value, else the file's content (trimmed), else null when no file is named.</summary>
    public static string? Read(string variable, string fileKey, string file)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
        {
            return value;
        }

        if (file.Length == 0)
        {
            return null;
        }

        return File.Exists(file) ? File.ReadAllText(file).Trim() : throw new OptionsException($"{fileKey} = '{file}': the file does not exist");
    }
}
