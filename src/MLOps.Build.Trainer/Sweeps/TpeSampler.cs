using MathNet.Numerics.Distributions;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>
/// One finished configuration as the sampler learns from it: its value of the sweep metric, oriented so that higher is
/// better, and how many rounds short of its full resource it was stopped (tpe-halving; 0 otherwise). A configuration
/// stopped earlier ranks below every one that went further, whatever its score on less of the resource.
/// </summary>
public readonly record struct Observation(TrialConfig Config, double Score, int RoundsShort = 0);

/// <summary>
/// The tree-structured Parzen estimator (Bergstra et al. 2011; Optuna's default sampler): the finished
/// configurations are split into the best γ and the rest, each side's options are modelled by a kernel density
/// (a truncated Gaussian at each observed value, in log space for a log range, plus a flat prior; counts plus one for
/// a list of values), and each option is the best of <see cref="Candidates"/> draws from the good side's density by
/// its good-to-rest density ratio (univariate, as Optuna's default). Trainers take turns as in random search, and each
/// trainer's options are modelled only from that trainer's configurations: a trainer whose random start was unlucky is
/// not starved.
/// Chosen over FLAML's CFO because it needs no starting point or step size per option, handles lists of values and
/// several trainers natively, and proposes a whole batch from the same observations, which keeps a sweep reproducible
/// at any parallelism (docs/manifest.md, Sweeps).
/// </summary>
public sealed class TpeSampler(IReadOnlyList<ResolvedSpace> spaces, int seed)
{
    /// <summary>Random configurations before the model has anything to learn from (Optuna's <c>n_startup_trials</c>).</summary>
    public const int StartupTrials = 10;

    /// <summary>Configurations proposed from the same observations: a sweep's unit of parallel work, whatever the parallelism.</summary>
    public const int BatchSize = 8;

    /// <summary>Draws from the good side's density per proposal (Optuna's <c>n_ei_candidates</c>).</summary>
    public const int Candidates = 24;

    /// <summary>
    /// Set for tpe-halving: the rounds, not the model, decide the resource option (iterations, trees), so a proposal
    /// carries all of it and two proposals that differ only there are the same configuration.
    /// </summary>
    public bool RoundsSetResource { get; init; }

    /// <summary>The best share the good side gets: γ(n) = min(⌈0.1 n⌉, 25), Optuna's default.</summary>
    public static int GoodCount(int observations) => Math.Max(1, Math.Min((int)Math.Ceiling(0.1 * observations), 25));

    /// <summary>
    /// Configurations <paramref name="firstIndex"/> onwards, <paramref name="count"/> of them, none of them in
    /// <paramref name="seen"/> (which receives them); each depends only on the seed, its index and the observations.
    /// </summary>
    public IReadOnlyList<TrialConfig> Propose(int firstIndex, int count, IReadOnlyList<Observation> observations, ISet<string> seen)
    {
        // Per trainer: its best γ and the rest. Proposals made in this batch join the rest (a "constant liar"), so that
        // a batch spreads out instead of proposing the same spot eight times.
        var sides = spaces.ToDictionary(space => space, space =>
        {
            var ranked = Ranked(observations.Where(o => o.Config.Space == space)).Select(o => o.Config).ToList();
            var good = ranked.Take(ranked.Count == 0 ? 0 : GoodCount(ranked.Count)).ToList();
            return (Good: good, Others: ranked.Skip(good.Count).ToList());
        });
        var best = Ranked(observations).Take(GoodCount(observations.Count)).ToArray();
        var trainerCounts = spaces.Select(space => (double)best.Count(o => o.Config.Space == space)).ToArray();
        var proposals = new List<TrialConfig>();
        var failures = spaces.ToDictionary(space => space, _ => 0);
        for (var index = firstIndex; proposals.Count < count; index++)
        {
            TrialConfig? fresh = null;
            for (var attempt = 0; fresh is null && failures.Values.Any(f => f < Attempts); attempt++)
            {
                var random = new Random(Seeds.Derive(seed, index, 0x7E5, attempt));
                // The trainer in proportion to its share of the best γ of all configurations, plus one each; a trainer
                // whose space gives nothing new any more (a short list of values, all tried) is out.
                var space = spaces[Categorical(spaces.Select((s, i) => failures[s] < Attempts ? trainerCounts[i] + 1 : 0).ToArray(), random)];
                // Where the model keeps proposing what was tried (a small space), a uniform draw looks for what was not.
                var candidate = new TrialConfig(index, space, space.Parameters.Select(p => (p.Name, failures[space] < ModelAttempts
                    ? Option(p, sides[space].Good, sides[space].Others, random)
                    : TrialSampler.Draw(p, random))).ToArray());
                if (RoundsSetResource)
                {
                    candidate = candidate.WithFullResource();
                }
                if (!seen.Contains(candidate.Key(0)))
                {
                    fresh = candidate;
                }
                else
                {
                    failures[space]++;
                }
            }
            if (fresh is null)
            {
                // No trainer's space gives anything new: stop rather than repeat.
                break;
            }
            seen.Add(fresh.Key(0));
            sides[fresh.Space].Others.Add(fresh);
            proposals.Add(fresh);
        }
        return proposals;
    }

    /// <summary>Best first: furthest through the rounds, then by score, then the lower configuration number.</summary>
    private static IEnumerable<Observation> Ranked(IEnumerable<Observation> observations) =>
        observations.OrderBy(o => o.RoundsShort).ThenByDescending(o => o.Score).ThenBy(o => o.Config.Index);

    /// <summary>Draws of a trainer's options that were all tried before, after which that trainer counts as exhausted.</summary>
    private const int Attempts = 60;

    /// <summary>Of those, the draws from the model; the rest are uniform, as random search's.</summary>
    private const int ModelAttempts = 20;

    /// <summary>The best of <see cref="Candidates"/> draws by <paramref name="score"/>, the first drawn on a tie.</summary>
    private static T Best<T>(Func<T> draw, Func<T, double> score) =>
        Enumerable.Range(0, Candidates).Select(_ => draw()).Select(c => (Candidate: c, Score: score(c))).OrderByDescending(c => c.Score).First().Candidate;

    /// <summary>log l(x) − log g(x) of a category with counts plus one (the prior) on each side.</summary>
    private static double CategoryRatio(int good, int goodTotal, int rest, int restTotal, int categories) =>
        Math.Log((good + 1.0) / (goodTotal + categories)) - Math.Log((rest + 1.0) / (restTotal + categories));

    private static OptionLiteral Option(ResolvedParameter parameter, IReadOnlyList<TrialConfig> good, IReadOnlyList<TrialConfig> rest, Random random)
    {
        switch (parameter.Domain)
        {
            case FixedDomain fixedValue:
                return fixedValue.Value;
            case ChoiceDomain choice:
                int[] Counts(IReadOnlyList<TrialConfig> side) => choice.Values.Select(v => side.Count(c => Value(c, parameter) == v.Text)).ToArray();
                var (goodCounts, restCounts) = (Counts(good), Counts(rest));
                return choice.Values[Best(() => Categorical(goodCounts.Select(c => c + 1.0).ToArray(), random),
                    i => CategoryRatio(goodCounts[i], good.Count, restCounts[i], rest.Count, goodCounts.Length))];
            case RangeDomain range:
                var (low, high) = Bounds(range);
                var goodKernels = Kernels(range, Points(parameter, range, good));
                var restKernels = Kernels(range, Points(parameter, range, rest));
                var u = Best(() => Sample(goodKernels, low, high, random), x => LogDensity(goodKernels, low, high, x) - LogDensity(restKernels, low, high, x));
                return TrialSampler.Number(range.Log ? Math.Exp(u) : u, parameter.Integer, range);
            default:
                throw new ArgumentException($"Unknown domain {parameter.Domain}.", nameof(parameter));
        }
    }

    /// <summary>A draw from the mixture: a kernel chosen uniformly, then its Gaussian truncated to the range.</summary>
    private static double Sample(IReadOnlyList<(double Mean, double Sigma)> kernels, double low, double high, Random random)
    {
        var (mean, sigma) = kernels[random.Next(kernels.Count)];
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

    /// <summary>The mixture's log density at <paramref name="u"/>, each Gaussian renormalized to the range.</summary>
    private static double LogDensity(IReadOnlyList<(double Mean, double Sigma)> kernels, double low, double high, double u) =>
        Math.Log(Math.Max(kernels.Sum(k => Normal.PDF(k.Mean, k.Sigma, u) / Math.Max(1e-12, Normal.CDF(k.Mean, k.Sigma, high) - Normal.CDF(k.Mean, k.Sigma, low))) / kernels.Count, 1e-300));

    /// <summary>
    /// The prior (centred, as wide as the range) and a Gaussian at each observed value, as wide as the larger gap to its
    /// neighbours among the observed values and the prior's centre (the range's ends are not neighbours), clipped to
    /// [range / min(100, 1 + n), range]: Optuna's bandwidths (<c>consider_endpoints=False</c>, magic clip).
    /// </summary>
    private static List<(double Mean, double Sigma)> Kernels(RangeDomain range, double[] points)
    {
        var (low, high) = Bounds(range);
        var width = Math.Max(high - low, 1e-12);
        var centre = (low + high) / 2;
        var kernels = new List<(double, double)> { (centre, width) };
        var sorted = points.Append(centre).OrderBy(p => p).ToArray();
        var floor = width / Math.Min(100, 1 + sorted.Length);
        var prior = Array.IndexOf(sorted, centre);
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == prior)
            {
                continue;
            }
            var left = i > 0 ? sorted[i] - sorted[i - 1] : 0;
            var right = i < sorted.Length - 1 ? sorted[i + 1] - sorted[i] : 0;
            kernels.Add((sorted[i], Math.Clamp(Math.Max(left, right), floor, width)));
        }
        return kernels;
    }

    private static double[] Points(ResolvedParameter parameter, RangeDomain range, IReadOnlyList<TrialConfig> configs) => configs
        .Select(c => Value(c, parameter))
        .Where(text => text is not null)
        .Select(text => Transform(double.Parse(text!, System.Globalization.CultureInfo.InvariantCulture), range))
        .ToArray();

    private static string? Value(TrialConfig config, ResolvedParameter parameter) =>
        config.Options.FirstOrDefault(o => o.Name == parameter.Name).Value?.Text;

    private static double Transform(double value, RangeDomain range) => range.Log ? Math.Log(value) : value;

    private static (double Low, double High) Bounds(RangeDomain range) =>
        range.Log ? (Math.Log(range.Min), Math.Log(range.Max)) : (range.Min, range.Max);

    /// <summary>An index drawn in proportion to the weights.</summary>
    private static int Categorical(double[] weights, Random random)
    {
        var draw = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            draw -= weights[i];
            if (draw < 0 && weights[i] > 0)
            {
                return i;
            }
        }
        return Array.FindLastIndex(weights, w => w > 0);
    }
}
