namespace RiskStream.Cli.Fuzzing;

/// <summary>
/// One decoder or loader under fuzz: the valid documents mutations start from, and a run of one case that returns
/// the reason it was refused (null: accepted). A documented refusal is a reason or one of <see cref="Documented"/>;
/// any other exception is a crash.
/// </summary>
internal sealed record FuzzTarget(string Name, IReadOnlyList<byte[]> Seeds, Func<byte[], string?> Run, IReadOnlyList<Type> Documented);
