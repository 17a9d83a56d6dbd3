using System.Text;
using System.Text.Json;
using RiskStream.Cli.Hosting;
using RiskStream.Codecs;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Raman;
using RiskStream.Raman.Formats;
using RiskStream.Scenarios.Definitions;

namespace RiskStream.Cli.Fuzzing;

/// <summary>Every decoder and loader the project has, as fuzz targets, with valid documents to start from.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All(RiskStreamOptions options)
    {
        var registry = ParkRegistry.Load(options.RegistryPath);
        var limits = options.Pipeline.Input;
        var time = TimeProvider.System;
        var site = registry.SiteList[0];
        var key = Encoding.UTF8.GetBytes(site.Id);
        var readings = new ReadingDecoder(registry, limits, time);
        var spectra = new SpectrumDecoder(registry, limits, time);
        var acks = new AckDecoder(limits);
        var party = new Party(PartyType.Enterprise, site.Enterprise.Id);
        var library = Library.Files(options.RamanLibrary).Select(File.ReadAllBytes).ToList();
        var scenarios = Directory.EnumerateFiles(options.ScenariosPath, "*.yaml").Select(File.ReadAllBytes).ToList();
        static string? Refusal(DeadLetterReason? reason, string? detail) =>
            reason is null ? null : string.IsNullOrWhiteSpace(detail) ? throw new InvalidOperationException($"refused as {reason} without a detail") : reason.Value.Wire();

        return
        [
            new("reading", ReadingSeeds(site), bytes => { var r = readings.Decode(key, bytes); return Refusal(r.Reason, r.Detail); }, []),
            new("spectrum", [Utf8(SpectrumJson(site, axis: false)), Utf8(SpectrumJson(site, axis: true))], bytes => { var (_, reason, detail) = spectra.Decode(key, bytes); return Refusal(reason == default && detail.Length == 0 ? null : reason, detail); }, []),
            new("acknowledgement", [Utf8(AckJson(site, party))], bytes => { var (ack, reason, detail) = acks.Decode(key, bytes, party); return ack is null ? Refusal(reason, detail) : null; }, []),
            new("jcamp", library, bytes => Loaded(() => Jcamp.Parse(Text(bytes), "fuzz.jdx")), [typeof(JcampException)]),
            new("spectrum-file", [.. library.Take(3), Utf8(CsvSpectrum()), Utf8(SpectrumJson(site, axis: false))], bytes => Loaded(() => Library.ParseSpectrum(Text(bytes), "fuzz.csv")), [typeof(JcampException)]),
            new("scenario", scenarios, bytes => Loaded(() => ScenarioLoader.Parse(Text(bytes), "fuzz.yaml")), [typeof(ScenarioException)]),
            new("silences", [Utf8(Silences(site))], bytes => Loaded(() => SilenceLoader.Parse(Text(bytes), "fuzz.yaml", registry)), [typeof(ScenarioException)]),
            new("registry", [File.ReadAllBytes(options.RegistryPath)], bytes => Loaded(() => ParkRegistry.Parse(Text(bytes), "fuzz.json")), [typeof(RegistryException)]),
        ];
    }

    /// <summary>Runs a loader; a documented exception propagates to the runner, which counts it as a refusal.</summary>
    private static string? Loaded(Func<object> load)
    {
        _ = load();
        return null;
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static List<byte[]> ReadingSeeds(SiteDef site) =>
        site.Sensors.Take(4).Select(s => JsonSerializer.SerializeToUtf8Bytes(new Reading(site.Id, s.Id, s.Kind, 12.5, s.Kind.CanonicalUnit(), TimeProvider.System.GetUtcNow()), ContractJson.Default.Reading)).ToList();

    private static string SpectrumJson(SiteDef site, bool axis)
    {
        var x = Enumerable.Range(0, 300).Select(i => 200 + (i * 10.0)).ToArray();
        var y = x.Select(v => 100 + (1000 * Math.Exp(-Math.Pow((v - 1000) / 8, 2)))).ToArray();
        var spectrum = new Spectrum(site.Id, "RM-7", "INSP-1", SpectrumPurpose.HiddenDanger, TimeProvider.System.GetUtcNow(), 785, axis ? null : x, axis ? new SpectrumAxis(200, 10, 300) : null, y);
        return JsonSerializer.Serialize(spectrum, ContractJson.Default.Spectrum);
    }

    private static string AckJson(SiteDef site, Party party) => JsonSerializer.Serialize(
        new Acknowledgement($"combustible_gas_leak:{site.Id}:1795935600000", party, "duty room: Zhang", TimeProvider.System.GetUtcNow(), "isolating the flange", ["valve V-12 closed"]),
        ContractJson.Default.Acknowledgement);

    private static string CsvSpectrum() =>
        "wavenumber,intensity\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => FormattableString.Invariant($"{200 + (i * 15)},{100 + ((i * 37) % 50)}")));

    private static string Silences(SiteDef site) => $"""
        silences:
          - site: {site.Id}
            sensor: {site.Sensors.First().Id}
            from: 2026-11-29T08:00:00+08:00
            until: 2026-11-29T12:00:00+08:00
            declaredBy: maintenance
            reason: calibration
        """;
}
