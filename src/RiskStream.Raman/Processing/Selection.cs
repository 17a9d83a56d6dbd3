namespace RiskStream.Raman.Processing;

/// <summary>Order statistics without sorting, for the preprocessing steps' robust estimates.</summary>
internal static class Selection
{
    /// <summary>Median by selection (Hoare's quickselect, O(n)); reorders <paramref name="values"/>.</summary>
    public static double Median(Span<double> values)
    {
        var n = values.Length;
        if (n == 0)
        {
            return 0;
        }

        var upper = Select(values, n / 2);
        return n % 2 == 1 ? upper : (Max(values[..(n / 2)]) + upper) / 2;
    }

    private static double Max(ReadOnlySpan<double> values)
    {
        var m = double.NegativeInfinity;
        foreach (var v in values)
        {
            m = Math.Max(m, v);
        }

        return m;
    }

    /// <summary>The k-th smallest value; afterwards values[..k] are all ≤ it.</summary>
    private static double Select(Span<double> values, int k)
    {
        int lo = 0, hi = values.Length - 1;
        while (lo < hi)
        {
            var pivot = values[lo + ((hi - lo) / 2)];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                break;
            }
        }

        return values[k];
    }
}
