using MathNet.Numerics.Distributions;
using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>
/// One side (good or the rest) of a trainer's configurations as a density over all of its options at once, as Optuna's
/// multivariate TPE models it: a kernel per configuration that is a product over the options (a Gaussian, truncated to
/// the range, at each number in its log or linear space; a list's value weighted up against the others), plus a prior
/// kernel (centred, as wide as the range; a list's values alike), each kernel weighted alike. Drawing a whole
/// configuration from one kernel keeps the options that went well together together: a high learning rate with few
/// iterations, a low one with many, which a density per option (univariate TPE) would mix.
/// </summary>
internal sealed class JointParzenEstimator
{
    /// <summary>Optuna's <c>SIGMA0_MAGNITUDE</c>: a kernel's width before Scott's rule shrinks it with more configurations.</summary>
    private const double WidthShare = 0.2;

    private readonly IReadOnlyList<ResolvedParameter> _parameters;
    private readonly double[] _low;
    private readonly double[] _high;
    private readonly Kernel[] _kernels;

    /// <summary>
    /// Per option, a Gaussian (numbers: mean, width, and the log of its mass inside the range, by which its density is
    /// divided) or weights (a list's values); the option's slot in a point.
    /// </summary>
    private readonly record struct Kernel(double[] Means, double[] Sigmas, double[] LogMasses, double[][] Weights);

    public JointParzenEstimator(IReadOnlyList<ResolvedParameter> parameters, IReadOnlyList<double[]> points)
    {
        _parameters = parameters;
        (_low, _high) = (new double[parameters.Count], new double[parameters.Count]);
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Domain is RangeDomain range)
            {
                (_low[i], _high[i]) = range.Log ? (Math.Log(range.Min), Math.Log(range.Max)) : (range.Min, range.Max);
            }
        }
        var dimensions = parameters.Count(p => p.Domain is not FixedDomain);
        var kernels = new List<Kernel>();
        foreach (var point in points.Append(null))
        {
            var means = new double[parameters.Count];
            var sigmas = new double[parameters.Count];
            var logMasses = new double[parameters.Count];
            var weights = new double[parameters.Count][];
            for (var i = 0; i < parameters.Count; i++)
            {
                switch (parameters[i].Domain)
                {
                    case RangeDomain:
                        var (low, high) = (_low[i], _high[i]);
                        var width = Math.Max(high - low, 1e-12);
                        // Scott's rule over the configurations, clipped as Optuna clips ("magic clip") to
                        // [range / min(100, kernels), range]; the prior is as wide as the range.
                        var floor = width / Math.Min(100, 1 + points.Count + 1);
                        means[i] = point is null ? (low + high) / 2 : point[i];
                        sigmas[i] = point is null ? width : Math.Clamp(WidthShare * Math.Pow(Math.Max(points.Count, 1), -1.0 / (dimensions + 4)) * width, floor, width);
                        logMasses[i] = Math.Log(Math.Max(1e-12, Normal.CDF(means[i], sigmas[i], high) - Normal.CDF(means[i], sigmas[i], low)));
                        break;
                    case ChoiceDomain choice:
                        var count = choice.Values.Count;
                        weights[i] = Enumerable.Range(0, count).Select(c => point is null ? 1.0 / count : (1.0 / count + (c == (int)point[i] ? 1 : 0)) / 2).ToArray();
                        break;
                }
            }
            kernels.Add(new Kernel(means, sigmas, logMasses, weights));
        }
        _kernels = [.. kernels];
    }

    /// <summary>A configuration's options as a point: numbers in their log or linear space, a list's value as its position.</summary>
    public static double[] Point(IReadOnlyList<ResolvedParameter> parameters, TrialConfig config) => parameters.Select(p =>
    {
        var text = config.Options.FirstOrDefault(o => o.Name == p.Name).Value?.Text;
        return p.Domain switch
        {
            RangeDomain range when text is not null => range.Log
                ? Math.Log(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture))
                : double.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
            ChoiceDomain choice => Math.Max(0, choice.Values.Select(v => v.Text).ToList().IndexOf(text)),
            _ => 0,
        };
    }).ToArray();

    /// <summary>The point's options as the trainer takes them.</summary>
    public static IEnumerable<(string Name, OptionLiteral Value)> Options(IReadOnlyList<ResolvedParameter> parameters, double[] point) =>
        parameters.Select((p, i) => (p.Name, p.Domain switch
        {
            FixedDomain fixedValue => fixedValue.Value,
            ChoiceDomain choice => choice.Values[(int)point[i]],
            RangeDomain range => TrialSampler.Number(range.Log ? Math.Exp(point[i]) : point[i], p.Integer, range),
            _ => throw new ArgumentException($"Unknown domain {p.Domain}."),
        }));

    /// <summary>A draw: a kernel chosen uniformly, then every option from that kernel.</summary>
    public double[] Sample(Random random)
    {
        var kernel = _kernels[random.Next(_kernels.Length)];
        var point = new double[_parameters.Count];
        for (var i = 0; i < point.Length; i++)
        {
            switch (_parameters[i].Domain)
            {
                case RangeDomain:
                    point[i] = Truncated(kernel.Means[i], kernel.Sigmas[i], _low[i], _high[i], random);
                    break;
                case ChoiceDomain:
                    point[i] = TpeSampler.Categorical(kernel.Weights[i], random);
                    break;
            }
        }
        return point;
    }

    /// <summary>The mixture's log density at <paramref name="point"/> (a log-sum-exp over the kernels).</summary>
    public double LogDensity(double[] point)
    {
        var logs = _kernels.Select(kernel =>
        {
            var sum = 0.0;
            for (var i = 0; i < point.Length; i++)
            {
                switch (_parameters[i].Domain)
                {
                    case RangeDomain:
                        sum += Normal.PDFLn(kernel.Means[i], kernel.Sigmas[i], point[i]) - kernel.LogMasses[i];
                        break;
                    case ChoiceDomain:
                        sum += Math.Log(kernel.Weights[i][(int)point[i]]);
                        break;
                }
            }
            return sum;
        }).ToArray();
        var max = logs.Max();
        return max + Math.Log(logs.Sum(l => Math.Exp(l - max)) / logs.Length);
    }

    private static double Truncated(double mean, double sigma, double low, double high, Random random)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var u = mean + sigma * Normal.Sample(random, 0, 1);
            if (u >= low && u <= high)
            {
                return u;
            }
        }
        return Math.Clamp(mean, low, high);
    }
}
