namespace MLOps.Build.Drift;

/// <summary>
/// The drift tests a manifest may name, their default thresholds, and how <c>auto</c> chooses between them.
/// Shared by the manifest parser (validation) and the trainer (computation) so that both agree.
/// </summary>
public static class DriftMethods
{
    public const string Auto = "auto";
    public const string Psi = "psi";
    public const string KolmogorovSmirnov = "ks";
    public const string Wasserstein = "wasserstein";
    public const string ChiSquare = "chisquare";
    public const string JensenShannon = "jensenshannon";
    public const string LInfinity = "linf";

    /// <summary>Dataset-level drift: this share of the features drifts (or more).</summary>
    public const double DefaultShare = 0.5;

    /// <summary>
    /// <c>auto</c> uses the statistical tests up to this many reference rows and distances above it, because with
    /// large samples a test finds every negligible difference significant.
    /// </summary>
    public const int AutoLargeSampleRows = 1000;

    public static readonly string[] All = [Auto, Psi, KolmogorovSmirnov, Wasserstein, ChiSquare, JensenShannon, LInfinity];

    /// <summary>Methods for numeric features, and for categories (and booleans).</summary>
    public static readonly string[] Numeric = [Psi, KolmogorovSmirnov, Wasserstein];
    public static readonly string[] Categorical = [Psi, ChiSquare, JensenShannon, LInfinity];

    /// <summary>p-value tests drift when the p-value falls below the threshold; distances when they reach it.</summary>
    public static bool IsTest(string method) => method is KolmogorovSmirnov or ChiSquare;

    public static double DefaultThreshold(string method) => method switch
    {
        KolmogorovSmirnov or ChiSquare => 0.05,
        _ => 0.1,
    };

    /// <summary>The concrete method for a feature: explicit, or by kind and reference sample size.</summary>
    public static string Resolve(string method, bool numeric, long referenceRows)
    {
        if (method != Auto)
        {
            return method;
        }
        var small = referenceRows <= AutoLargeSampleRows;
        return numeric ? (small ? KolmogorovSmirnov : Wasserstein) : (small ? ChiSquare : JensenShannon);
    }

    public static bool Applies(string method, bool numeric) =>
        method == Auto || Array.IndexOf(numeric ? Numeric : Categorical, method) >= 0;

    /// <summary>What the statistic is called in messages.</summary>
    public static string StatisticName(string method) => method switch
    {
        Psi => "PSI",
        KolmogorovSmirnov => "Kolmogorov–Smirnov p-value",
        Wasserstein => "normalized Wasserstein distance",
        ChiSquare => "chi-square p-value",
        JensenShannon => "Jensen–Shannon distance",
        LInfinity => "L-infinity distance",
        _ => method,
    };
}
