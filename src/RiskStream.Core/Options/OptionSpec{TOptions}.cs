namespace RiskStream.Core.Options;

/// <summary>An option of the options type <typeparamref name="TOptions"/>.</summary>
public abstract class OptionSpec<TOptions>(string name, string description, string? flag) : OptionSpec(name, description, flag)
{
    /// <summary>The options with this option set from its raw text; throws <see cref="OptionsException"/> naming the key.</summary>
    public abstract TOptions Apply(TOptions options, string raw);

    /// <summary>This option's value in <paramref name="options"/>, as text a person would write.</summary>
    public abstract string Show(TOptions options);

    /// <summary>Throws <see cref="OptionsException"/> naming the key if this option's value in <paramref name="options"/> is not acceptable (options built in code).</summary>
    public abstract void Check(TOptions options);
}
