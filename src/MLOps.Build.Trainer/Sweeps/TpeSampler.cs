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
/// The tree-structured Parzen estimator (Bergstra et al. 2011; Optuna's default sampler), multivariate (Falkner et al.
/// 2018; Optuna's <c>multivariate=True</c>): per trainer, the finished configurations are split into the best γ and the
/// rest, each side is a density over all options at once (<see cref="JointParzenEstimator"/>), and a proposal is the
/// best of <see cref="Candidates"/> whole configurations drawn from the good side by its good-to-rest density ratio.
/// Multivariate because options interact (a learning rate is good with some iteration counts and not others): in the
/// sampler study it needed fewer trials than the univariate form on the synthetic objective and on two of three data
/// sets (benchmarks/README.md). A trainer is drawn in proportion to its share of the best γ plus one, and each trainer is
/// modelled only from its own configurations: a trainer whose random start was unlucky is not starved. (Scoring the
/// trainer by its own good-to-rest ratio, as Hyperopt's tree-structured densities do, locked onto one trainer after the
/// random start in the sampler study, and missed the one that held random search's best.)
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
        // Per trainer: its best γ and the rest, each a density. Proposals made in this batch join the rest (a "constant
        // liar"), so that a batch spreads out instead of proposing the same spot eight times.
        var sides = spaces.ToDictionary(space => space, space => new Sides(space,
            Ranked(observations.Where(o => o.Config.Space == space)).Select(o => o.Config).ToList()));
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
                var candidate = new TrialConfig(index, space, failures[space] < ModelAttempts
                    ? sides[space].Propose(random)
                    : space.Parameters.Select(p => (p.Name, TrialSampler.Draw(p, random))).ToArray());
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
            sides[fresh.Space].AddToRest(fresh);
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

    /// <summary>
    /// One trainer's configurations as the model sees them: the best γ and the rest, each a density over all of its
    /// options. The good side is fixed for a batch; the rest's density is made again only when a proposal joins it.
    /// </summary>
    private sealed class Sides
    {
        private readonly ResolvedSpace _space;
        private readonly JointParzenEstimator _good;
        private readonly List<double[]> _rest;
        private JointParzenEstimator? _restDensity;

        /// <param name="ranked">The trainer's finished configurations, best first.</param>
        public Sides(ResolvedSpace space, IReadOnlyList<TrialConfig> ranked)
        {
            _space = space;
            var points = ranked.Select(c => JointParzenEstimator.Point(space.Parameters, c)).ToList();
            var goodCount = points.Count == 0 ? 0 : GoodCount(points.Count);
            _good = new JointParzenEstimator(space.Parameters, points.Take(goodCount).ToArray());
            _rest = points.Skip(goodCount).ToList();
        }

        public void AddToRest(TrialConfig config)
        {
            _rest.Add(JointParzenEstimator.Point(_space.Parameters, config));
            _restDensity = null;
        }

        /// <summary>The best of <see cref="Candidates"/> whole configurations drawn from the good side, by its good-to-rest density ratio.</summary>
        public (string, OptionLiteral)[] Propose(Random random)
        {
            var rest = _restDensity ??= new JointParzenEstimator(_space.Parameters, _rest);
            var point = Best(() => _good.Sample(random), x => _good.LogDensity(x) - rest.LogDensity(x));
            return JointParzenEstimator.Options(_space.Parameters, point).ToArray();
        }
    }

    /// <summary>An index drawn in proportion to the weights.</summary>
    internal static int Categorical(double[] weights, Random random)
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
