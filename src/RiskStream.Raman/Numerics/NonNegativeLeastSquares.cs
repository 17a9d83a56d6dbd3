namespace RiskStream.Raman.Numerics;

/// <summary>Non-negative least squares (Lawson–Hanson) and plain least squares for a handful of columns.</summary>
internal static class NonNegativeLeastSquares
{
    /// <summary>Non-negative least squares for a handful of columns (Lawson–Hanson active set).</summary>
    public static double[] Solve(double[][] columns, double[] b)
    {
        var m = columns.Length;
        var x = new double[m];
        var passive = new bool[m];
        for (var iteration = 0; iteration < 3 * m + 10; iteration++)
        {
            // Gradient w = Aᵀ(b − Ax).
            var residual = (double[])b.Clone();
            for (var k = 0; k < m; k++)
            {
                for (var i = 0; i < b.Length; i++)
                {
                    residual[i] -= x[k] * columns[k][i];
                }
            }

            var w = columns.Select(c => c.Zip(residual, (p, q) => p * q).Sum()).ToArray();
            var candidate = Enumerable.Range(0, m).Where(k => !passive[k] && w[k] > 1e-12).OrderByDescending(k => w[k]).FirstOrDefault(-1);
            if (candidate < 0)
            {
                break;
            }

            passive[candidate] = true;
            while (true)
            {
                var set = Enumerable.Range(0, m).Where(k => passive[k]).ToArray();
                var z = LeastSquares(set.Select(k => columns[k]).ToArray(), b);
                if (z.All(v => v > 0))
                {
                    Array.Clear(x);
                    for (var s = 0; s < set.Length; s++)
                    {
                        x[set[s]] = z[s];
                    }

                    break;
                }

                // Step back towards the feasible region and drop the variables that hit zero.
                var alpha = 1.0;
                for (var s = 0; s < set.Length; s++)
                {
                    if (z[s] <= 0)
                    {
                        alpha = Math.Min(alpha, x[set[s]] / (x[set[s]] - z[s]));
                    }
                }

                for (var s = 0; s < set.Length; s++)
                {
                    x[set[s]] += alpha * (z[s] - x[set[s]]);
                    if (x[set[s]] <= 1e-12)
                    {
                        x[set[s]] = 0;
                        passive[set[s]] = false;
                    }
                }

                if (!passive.Any(p => p))
                {
                    break;
                }
            }
        }

        return x;
    }

    /// <summary>Least squares by the normal equations (a handful of columns).</summary>
    private static double[] LeastSquares(double[][] columns, double[] b)
    {
        var m = columns.Length;
        var a = new double[m, m + 1];
        for (var r = 0; r < m; r++)
        {
            for (var s = 0; s < m; s++)
            {
                a[r, s] = columns[r].Zip(columns[s], (p, q) => p * q).Sum();
            }

            a[r, m] = columns[r].Zip(b, (p, q) => p * q).Sum();
        }

        for (var col = 0; col < m; col++)
        {
            var pivot = Enumerable.Range(col, m - col).MaxBy(r => Math.Abs(a[r, col]));
            for (var s = 0; s <= m; s++)
            {
                (a[col, s], a[pivot, s]) = (a[pivot, s], a[col, s]);
            }

            for (var r = 0; r < m; r++)
            {
                if (r != col && a[col, col] != 0)
                {
                    var f = a[r, col] / a[col, col];
                    for (var s = 0; s <= m; s++)
                    {
                        a[r, s] -= f * a[col, s];
                    }
                }
            }
        }

        return Enumerable.Range(0, m).Select(r => a[r, r] == 0 ? 0 : a[r, m] / a[r, r]).ToArray();
    }
}
