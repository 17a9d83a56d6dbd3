using System.Globalization;
using System.Text;
using CsCheck;
using RiskStream.Raman.Formats;

namespace RiskStream.Raman.Tests;

public sealed class JcampTests
{
    private static string File(string table, int points = 6, string extra = "") => $"""
        ##TITLE= Toluene $$ a comment
        ##JCAMP-DX= 4.24
        ##DATA TYPE= RAMAN SPECTRUM
        ##CAS REGISTRY NO= 108-88-3
        ##XUNITS= 1/CM
        ##YUNITS= ARBITRARY UNITS
        ##XFACTOR= 1
        ##YFACTOR= 0.5
        ##FIRSTX= 100
        ##LASTX= {100 + points - 1}
        ##NPOINTS= {points}
        {extra}##XYDATA= (X++(Y..Y))
        {table}
        ##END=
        """;

    [Theory]
    [InlineData("100 10 12 14 14 14 13")]
    [InlineData("100 10 12 14\n103 14 14 13")]
    [InlineData("100A0A2A4A4A4A3")]
    [InlineData("100A0KK%%j")]
    [InlineData("100A0KT%Tj")]
    [InlineData("100A0KK\n102A4%%j")]
    [InlineData("100+10+12+14+14+14+13")]
    [InlineData("1.00E+02 1.0E+01 12 14 14 14 13")]
    public void Every_form_of_the_same_data_decodes_to_the_same_points(string table)
    {
        var s = Jcamp.Parse(File(table));
        Assert.Equal([100, 101, 102, 103, 104, 105], s.X);
        Assert.Equal([5, 6, 7, 7, 7, 6.5], s.Y);
        Assert.Equal(("Toluene", "108-88-3", "1/CM"), (s.Title, s.Cas, s.XUnits));
    }

    [Theory]
    [InlineData("100A0KK#", 13, "'#' is neither a number nor an ASDF character")]
    [InlineData("100A0KK\n102A5%%j", 14, "Y check value")]
    [InlineData("100 10 12 14\n104 14 14 13", 14, "line starts at x = 104")]
    [InlineData("100 10 12 14 14 14", 12, "##NPOINTS=6 but the table holds 5 values")]
    [InlineData("100 10 1x2 14 14 14 13", 13, "'x' is neither a number")]
    public void A_malformed_file_is_refused_naming_the_line(string table, int line, string reason)
    {
        var e = Assert.Throws<JcampException>(() => Jcamp.Parse(File(table), "toluene.jdx"));
        Assert.StartsWith($"toluene.jdx:{line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("100A0Z999999999999", "a DUP count of")]
    [InlineData("100A0J9999999999999999", "")]
    [InlineData("100 1e+300 1e+300", "")]
    public void Hostile_counts_and_values_are_refused_not_allocated(string table, string reason)
    {
        var e = Assert.Throws<JcampException>(() => Jcamp.Parse(File(table, points: 3), "hostile.jdx"));
        Assert.StartsWith("hostile.jdx:", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e12")]
    [InlineData("2000000000")]
    [InlineData("-5")]
    [InlineData("3.5")]
    public void An_NPOINTS_beyond_the_limit_is_refused_with_the_limit(string npoints)
    {
        var text = File("100 10 12 14", points: 3).Replace("##NPOINTS= 3", $"##NPOINTS= {npoints}", StringComparison.Ordinal);
        var e = Assert.Throws<JcampException>(() => Jcamp.Parse(text, "hostile.jdx"));
        Assert.Contains($"must be a whole number from 1 to {Jcamp.MaxPoints}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_factor_that_overflows_the_values_is_refused()
    {
        var text = File("100 10 12 14", points: 3).Replace("##YFACTOR= 0.5", "##YFACTOR= 1e308", StringComparison.Ordinal).Replace("100 10 12 14", "100 10 12 1400", StringComparison.Ordinal);
        Assert.Contains("overflows", Assert.Throws<JcampException>(() => Jcamp.Parse(text, "big.jdx")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Points_and_peak_tables_are_read_as_pairs()
    {
        var text = """
            ##TITLE= Benzene
            ##XUNITS= 1/CM
            ##YUNITS= ARBITRARY UNITS
            ##XYPOINTS= (XY..XY)
            992, 100; 1178, 12
            3062, 40
            ##PEAK TABLE= (XY..XY)
            992,100 3062,40
            ##END=
            """;
        var s = Jcamp.Parse(text);
        Assert.Equal([992, 1178, 3062], s.X);
        Assert.Equal([100, 12, 40], s.Y);
        Assert.Equal([new Peak(992, 100), new Peak(3062, 40)], s.Peaks);
        var widths = Jcamp.Parse("##TITLE= Benzene\n##PEAK TABLE= (XYW..XYW)\n992,100,4; 3062,40,12\n606 20 8 1178 15 6\n##END=");
        Assert.Equal([new Peak(992, 100, 4), new Peak(3062, 40, 12), new Peak(606, 20, 8), new Peak(1178, 15, 6)], widths.Peaks);
        var e = Assert.Throws<JcampException>(() => Jcamp.Parse("##TITLE= X\n##PEAK TABLE= (XYW..XYW)\n992,100\n##END=", "x.jdx"));
        Assert.StartsWith("x.jdx:3:", e.Message, StringComparison.Ordinal);
        Assert.Throws<JcampException>(() => Jcamp.Parse("##XUNITS= 1/CM\n##XYPOINTS=(XY..XY)\n1,2\n"));
    }

    /// <summary>An encoder written from the specification's rules, independently of the reader.</summary>
    private static string Encode(int[] y, string form, int perLine)
    {
        static string Sqz(int v) => (v < 0 ? "abcdefghi" : "@ABCDEFGHI")[v < 0 ? (-v).ToString(CultureInfo.InvariantCulture)[0] - '1' : v.ToString(CultureInfo.InvariantCulture)[0] - '0'] + Math.Abs(v).ToString(CultureInfo.InvariantCulture)[1..];
        static string Dif(int d) => d == 0 ? "%" : (d < 0 ? "jklmnopqr" : "JKLMNOPQR")[Math.Abs(d).ToString(CultureInfo.InvariantCulture)[0] - '1'] + Math.Abs(d).ToString(CultureInfo.InvariantCulture)[1..];
        static string Dup(int n) => (n == 9 ? "s" : "STUVWXYZ"[(n.ToString(CultureInfo.InvariantCulture)[0] - '1')].ToString()) + n.ToString(CultureInfo.InvariantCulture)[1..];
        var lines = new StringBuilder();
        var i = 0;
        while (i < y.Length)
        {
            var start = form == "dif" && i > 0 ? i - 1 : i;
            var end = Math.Min(y.Length, start + perLine);
            var line = new StringBuilder((100 + start).ToString(CultureInfo.InvariantCulture));
            if (form == "affn")
            {
                for (var k = start; k < end; k++)
                {
                    line.Append(' ').Append(y[k].ToString(CultureInfo.InvariantCulture));
                }
            }
            else if (form == "sqz")
            {
                for (var k = start; k < end; k++)
                {
                    line.Append(Sqz(y[k]));
                }
            }
            else
            {
                line.Append(Sqz(y[start]));
                var k = start + 1;
                while (k < end)
                {
                    var d = y[k] - y[k - 1];
                    var run = 1;
                    while (k + run < end && y[k + run] - y[k + run - 1] == d && run < 9)
                    {
                        run++;
                    }

                    line.Append(Dif(d));
                    if (run > 1)
                    {
                        line.Append(Dup(run));
                    }

                    k += run;
                }
            }

            lines.Append(line).Append('\n');
            i = end;
            if (form == "dif" && end == y.Length)
            {
                break;
            }
        }

        return lines.ToString().TrimEnd('\n');
    }

    [Fact]
    public void Random_spectra_round_trip_through_AFFN_SQZ_and_DIFDUP_with_check_values()
    {
        Gen.Int[-5000, 5000].Array[2, 300].Sample(
            y =>
            {
                foreach (var form in new[] { "affn", "sqz", "dif" })
                {
                    var text = File(Encode(y, form, 10), y.Length);
                    var s = Jcamp.Parse(text);
                    Assert.Equal(y.Select(v => v * 0.5).ToArray(), s.Y);
                    Assert.Equal(Enumerable.Range(100, y.Length).Select(v => (double)v).ToArray(), s.X);
                }
            },
            iter: 200);
    }
}
