using System.Text;
using System.Text.Json;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Codecs;

/// <summary>
/// Decodes and validates spectrum messages (<c>schemas/spectrum.v1.json</c>) with DESIGN.md's limits: at most
/// 16,384 points, finite numbers only, a known site matching the key, a timestamp not too far ahead, wavenumbers in
/// cm⁻¹ that overlap the library's range. Spectra are rare and large, so this deserialises the whole message.
/// </summary>
public sealed class SpectrumDecoder(ParkRegistry registry, InputLimits limits, TimeProvider time)
{
    /// <summary>Raman shifts above this are not cm⁻¹ (nanometres of scattered light, say).</summary>
    private const double MaxWavenumber = 10_000;

    /// <summary>No detector counts this high; squares of larger values overflow the search's arithmetic.</summary>
    private const double MaxIntensity = 1e15;

    /// <summary>The library search compares 200–3200 cm⁻¹; a spectrum must cover at least this much of it.</summary>
    private const double MinOverlapCm = 200;

    public (ValidSpectrum? Spectrum, DeadLetterReason Reason, string Detail) Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (value.Length > limits.MaxSpectrumBytes)
        {
            return Refuse(DeadLetterReason.Oversized, $"message is {value.Length} bytes; the limit is {limits.MaxSpectrumBytes}");
        }

        Spectrum? s;
        try
        {
            s = JsonSerializer.Deserialize(value, ContractJson.Default.Spectrum);
        }
        catch (InvalidOperationException)
        {
            return Refuse(DeadLetterReason.MalformedJson, "a string holds an escape that is not valid UTF-16 (a lone surrogate)");
        }
        catch (JsonException e)
        {
            var text = Encoding.UTF8.GetString(value);
            return text.Contains("NaN", StringComparison.Ordinal) || text.Contains("Infinity", StringComparison.Ordinal)
                ? Refuse(DeadLetterReason.NonFinite, "intensities and wavenumbers must be finite JSON numbers (NaN or Infinity found)")
                : Refuse(DeadLetterReason.MalformedJson, $"not a spectrum at {e.Path ?? "$"}: {e.Message.Split('.')[0]}");
        }

        if (s is null)
        {
            return Refuse(DeadLetterReason.MalformedJson, "a spectrum is a JSON object");
        }

        foreach (var (name, field) in new[] { ("site", s.Site), ("device", s.Device), ("sample", s.Sample) })
        {
            if (string.IsNullOrWhiteSpace(field))
            {
                return Refuse(DeadLetterReason.MissingField, $"{name} is missing");
            }

            if (ExternalText.Problem(field, name, limits.MaxNameChars) is { } problem)
            {
                return Refuse(DeadLetterReason.InvalidText, problem);
            }
        }

        if (s.Intensities is null || s.Intensities.Length < 2)
        {
            return Refuse(DeadLetterReason.MissingField, "intensities must hold at least two values");
        }

        if (s.Intensities.Length > Spectrum.MaxPoints || (s.Wavenumbers?.Length ?? 0) > Spectrum.MaxPoints || (s.Axis?.Count ?? 0) > Spectrum.MaxPoints)
        {
            return Refuse(DeadLetterReason.TooManyPoints, $"{Math.Max(s.Intensities.Length, Math.Max(s.Wavenumbers?.Length ?? 0, s.Axis?.Count ?? 0))} points; at most {Spectrum.MaxPoints} are accepted");
        }

        if (!registry.Sites.TryGetValue(s.Site, out var site))
        {
            return Refuse(DeadLetterReason.UnknownSite, $"site '{ExternalText.Quote(s.Site)}' is not in the registry");
        }

        if (!key.SequenceEqual(Encoding.UTF8.GetBytes(site.Id)))
        {
            return Refuse(DeadLetterReason.KeyMismatch, $"message key must be the site id '{site.Id}' so that a site's inputs share a partition");
        }

        var now = time.GetUtcNow();
        if (s.Ts == default)
        {
            return Refuse(DeadLetterReason.MissingField, "ts is missing");
        }

        if (s.Ts > now + limits.MaxFutureSkew)
        {
            return Refuse(DeadLetterReason.FutureTimestamp, $"ts {s.Ts:O} is more than {limits.MaxFutureSkew} ahead of the clock ({now:O})");
        }

        if (s.Ts < now - limits.MaxAge)
        {
            return Refuse(DeadLetterReason.TooOld, $"ts {s.Ts:O} is more than {limits.MaxAge} behind the clock ({now:O})");
        }

        if (!double.IsFinite(s.LaserNm) || s.LaserNm <= 0)
        {
            return Refuse(DeadLetterReason.OutOfRange, "laserNm must be a positive wavelength in nm");
        }

        double[] x;
        if (s.Wavenumbers is not null && s.Axis is not null)
        {
            return Refuse(DeadLetterReason.OutOfRange, "give either wavenumbers or axis, not both");
        }
        else if (s.Wavenumbers is not null)
        {
            if (s.Wavenumbers.Length != s.Intensities.Length)
            {
                return Refuse(DeadLetterReason.OutOfRange, $"{s.Wavenumbers.Length} wavenumbers for {s.Intensities.Length} intensities");
            }

            x = s.Wavenumbers;
        }
        else if (s.Axis is { } axis)
        {
            if (axis.Count != s.Intensities.Length || !double.IsFinite(axis.Start) || !double.IsFinite(axis.Step) || axis.Step <= 0)
            {
                return Refuse(DeadLetterReason.OutOfRange, $"axis {{start {axis.Start}, step {axis.Step}, count {axis.Count}}} does not describe {s.Intensities.Length} evenly spaced points");
            }

            x = new double[axis.Count];
            for (var i = 0; i < x.Length; i++)
            {
                x[i] = axis.Start + (i * axis.Step);
            }
        }
        else
        {
            return Refuse(DeadLetterReason.MissingField, "wavenumbers or axis is missing");
        }

        if (!x.All(double.IsFinite) || !s.Intensities.All(double.IsFinite))
        {
            return Refuse(DeadLetterReason.NonFinite, "intensities and wavenumbers must be finite");
        }

        if (s.Intensities.Any(v => Math.Abs(v) > MaxIntensity))
        {
            return Refuse(DeadLetterReason.OutOfRange, $"intensities beyond ±{MaxIntensity:0e0} are not a detector's counts");
        }

        var (lo, hi) = (x.Min(), x.Max());
        if (hi > MaxWavenumber)
        {
            return Refuse(DeadLetterReason.WrongUnit, $"wavenumbers reach {hi:F0}: a Raman shift is given in cm⁻¹ (below {MaxWavenumber:F0}), not in nm");
        }

        if (Math.Min(hi, 3200) - Math.Max(lo, 200) < MinOverlapCm)
        {
            return Refuse(DeadLetterReason.OutOfRange, $"the spectrum covers {lo:F0}–{hi:F0} cm⁻¹; at least {MinOverlapCm:F0} cm⁻¹ of 200–3200 cm⁻¹ is needed to identify it");
        }

        for (var i = 1; i < x.Length; i++)
        {
            if ((x[i] - x[i - 1]) * (x[^1] - x[0]) <= 0)
            {
                return Refuse(DeadLetterReason.OutOfRange, $"wavenumbers must run one way, strictly (point {i})");
            }
        }

        return (new ValidSpectrum(s, site, x, s.Intensities), default, "");
    }

    private static (ValidSpectrum?, DeadLetterReason, string) Refuse(DeadLetterReason reason, string detail) => (null, reason, detail);
}
