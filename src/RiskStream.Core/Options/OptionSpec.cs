namespace RiskStream.Core.Options;

/// <summary>
/// One option, declared once: its configuration key, what it means, what values it accepts, and the command-line
/// flag that sets it. Its default is the value the options type's initialiser gives it.
/// </summary>
public abstract class OptionSpec
{
    protected OptionSpec(string name, string description, string? flag)
    {
        Name = name;
        Description = description;
        Flag = flag;
    }

    /// <summary>Name within its section (<c>Lanes</c>).</summary>
    public string Name { get; }

    /// <summary>Full configuration key (<c>RiskStream:Pipeline:Lanes</c>), set when the option joins its set.</summary>
    public string Key { get; internal set; } = "";

    public string Description { get; }

    /// <summary>The command-line flag that sets it (<c>--lanes</c>), if any.</summary>
    public string? Flag { get; }

    /// <summary>What it accepts, in words (<c>a whole number from 1 to 64</c>).</summary>
    public abstract string Accepts { get; }

    /// <summary>Where a refused value names itself: the key, and the flag when there is one.</summary>
    protected string Where => Flag is null ? Key : $"{Flag} ({Key})";

    protected OptionsException Refused(string raw) => new($"{Where} = '{raw}': expected {Accepts}");
}
