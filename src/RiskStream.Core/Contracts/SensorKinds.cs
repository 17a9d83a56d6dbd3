using System.Text.Json.Serialization;

namespace RiskStream.Core.Contracts;

/// <summary>Wire names, units and physical ranges of each <see cref="SensorKind"/>.</summary>
public static class SensorKinds
{
    private static readonly string[] Names = WireNames.All<SensorKind>().ToArray();

    private static readonly string[] CanonicalUnits = ["%LEL", "ppm", "ppm", "ppm", "ppm", "%vol", "°C", "kPa", "%"];

    /// <summary>Every kind, in declaration order.</summary>
    public static IReadOnlyList<SensorKind> All { get; } = Enum.GetValues<SensorKind>();

    public static string WireName(this SensorKind kind) => Names[(int)kind];

    /// <summary>The unit scores and setpoints are expressed in.</summary>
    public static string CanonicalUnit(this SensorKind kind) => CanonicalUnits[(int)kind];

    public static bool IsToxic(this SensorKind kind) =>
        kind is SensorKind.H2S or SensorKind.CO or SensorKind.NH3 or SensorKind.Cl2;

    public static bool IsGas(this SensorKind kind) => kind.IsToxic() || kind is SensorKind.CombustibleLel or SensorKind.O2;

    public static bool TryParse(ReadOnlySpan<char> name, out SensorKind kind)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                kind = (SensorKind)i;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Molar mass in g/mol of a toxic gas, for mg/m³ ↔ ppm at 20 °C and 101.3 kPa.</summary>
    public static double MolarMass(this SensorKind kind) => kind switch
    {
        SensorKind.H2S => 34.08,
        SensorKind.CO => 28.01,
        SensorKind.NH3 => 17.03,
        SensorKind.Cl2 => 70.90,
        _ => double.NaN,
    };

    /// <summary>Molar volume in L/mol at 20 °C and 101.3 kPa (GBZ 2.1 convention).</summary>
    public const double MolarVolume20C = 24.04;

    /// <summary>
    /// Converts a value in <paramref name="unit"/> to the kind's canonical unit.
    /// Returns false for a unit that this kind is never measured in (a wrong unit is bad input, not a guess).
    /// </summary>
    public static bool TryToCanonical(this SensorKind kind, ReadOnlySpan<char> unit, double value, out double canonical)
    {
        canonical = value;
        switch (kind)
        {
            case SensorKind.CombustibleLel:
                return unit.SequenceEqual("%LEL");
            case SensorKind.H2S or SensorKind.CO or SensorKind.NH3 or SensorKind.Cl2:
                if (unit.SequenceEqual("ppm"))
                {
                    return true;
                }

                if (unit.SequenceEqual("mg/m3") || unit.SequenceEqual("mg/m³"))
                {
                    canonical = value * MolarVolume20C / kind.MolarMass();
                    return true;
                }

                return false;
            case SensorKind.O2:
                return unit.SequenceEqual("%vol");
            case SensorKind.Temperature:
                return unit.SequenceEqual("°C") || unit.SequenceEqual("degC");
            case SensorKind.Pressure:
                if (unit.SequenceEqual("kPa"))
                {
                    return true;
                }

                if (unit.SequenceEqual("MPa"))
                {
                    canonical = value * 1000;
                    return true;
                }

                return false;
            case SensorKind.TankLevel:
                return unit.SequenceEqual("%");
            default:
                return false;
        }
    }

    /// <summary>Physically possible range in the canonical unit; outside it a reading is bad input.</summary>
    public static (double Min, double Max) PlausibleRange(this SensorKind kind) => kind switch
    {
        SensorKind.CombustibleLel => (-5, 200),
        SensorKind.H2S or SensorKind.CO or SensorKind.NH3 or SensorKind.Cl2 => (-5, 1_000_000),
        SensorKind.O2 => (0, 100),
        SensorKind.Temperature => (-273.15, 2000),
        SensorKind.Pressure => (-101.325, 1_000_000),
        SensorKind.TankLevel => (-5, 120),
        _ => (double.MinValue, double.MaxValue),
    };
}
