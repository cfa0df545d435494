using System.Text.Json.Serialization;
using K = MLOps.Shared.SweepReportKeys;

namespace MLOps.Build.Artifacts;

/// <summary>
/// <c>sweep.json</c>: every trial of a sweep, best first, with what each cost and whether it came from the cache;
/// the leaderboard the report and <c>dotnet mlops runs</c> show. Unlike the model card it records timings, so its
/// bytes differ between runs.
/// </summary>
public sealed record SweepReport(
    [property: JsonPropertyName(K.SchemaVersion)] int SchemaVersion,
    [property: JsonPropertyName(K.Model)] string Model,
    [property: JsonPropertyName(K.Metric)] string Metric,
    [property: JsonPropertyName(K.HigherIsBetter)] bool HigherIsBetter,
    [property: JsonPropertyName(K.Strategy)] string Strategy,
    [property: JsonPropertyName(K.Folds)] int Folds,
    [property: JsonPropertyName(K.Budget)] SweepBudgetCard Budget,
    [property: JsonPropertyName(K.Counts)] SweepCountsCard Counts,
    [property: JsonPropertyName(K.ElapsedMilliseconds)] long ElapsedMilliseconds,
    [property: JsonPropertyName(K.Best)] TrialRecord? Best,
    [property: JsonPropertyName(K.Trials)] IReadOnlyList<TrialRecord> Trials)
{
    public const int CurrentSchemaVersion = 1;
}

public sealed record SweepBudgetCard(
    [property: JsonPropertyName(K.BudgetTrials)] int? Trials,
    [property: JsonPropertyName(K.BudgetSeconds)] double? Seconds);

/// <param name="Configurations">Option sets tried (the trial budget).</param>
/// <param name="Evaluations">Cross-validations run or reused: more than the configurations when halving re-evaluates survivors.</param>
public sealed record SweepCountsCard(
    [property: JsonPropertyName(K.Configurations)] int Configurations,
    [property: JsonPropertyName(K.Evaluations)] int Evaluations,
    [property: JsonPropertyName(K.Cached)] int Cached,
    [property: JsonPropertyName(K.Trained)] int Trained,
    [property: JsonPropertyName(K.Pruned)] int Pruned,
    [property: JsonPropertyName(K.Failed)] int Failed)
{
    /// <summary>Of the configurations, those taken from earlier sweeps' winners in the run history (tried first).</summary>
    [JsonPropertyName(K.WarmStarted)]
    public int WarmStarted { get; init; }
}

/// <summary>
/// One cross-validated evaluation of one configuration (at one resource level, for halving). Also the content of a
/// cached trial, whose file name is its <see cref="Fingerprint"/>.
/// </summary>
/// <param name="Index">The configuration's number in the sweep (0-based): the tie-breaker.</param>
/// <param name="Rung">The halving round (0 for the other strategies).</param>
/// <param name="Status">ok (a finalist), promoted (went on to the next round), pruned (stopped early), failed.</param>
public sealed record TrialRecord(
    [property: JsonPropertyName(K.Trial.Index)] int Index,
    [property: JsonPropertyName(K.Trial.Rung)] int Rung,
    [property: JsonPropertyName(K.Trial.Trainer)] string Trainer,
    [property: JsonPropertyName(K.Trial.Options)] IReadOnlyDictionary<string, object?> Options,
    [property: JsonPropertyName(K.Trial.Fingerprint)] string Fingerprint,
    [property: JsonPropertyName(K.Trial.Status)] string Status,
    [property: JsonPropertyName(K.Trial.Reason)] string? Reason,
    [property: JsonPropertyName(K.Trial.Folds)] IReadOnlyList<IReadOnlyDictionary<string, double>> Folds,
    [property: JsonPropertyName(K.Trial.Mean)] IReadOnlyDictionary<string, double> Mean,
    [property: JsonPropertyName(K.Trial.StandardDeviation)] IReadOnlyDictionary<string, double> StandardDeviation,
    [property: JsonPropertyName(K.Trial.DurationMilliseconds)] long DurationMilliseconds) : IJsonOnDeserialized
{
    public const string Ok = "ok";
    public const string Promoted = "promoted";
    public const string Pruned = "pruned";
    public const string Failed = "failed";

    /// <summary>Taken from a trial cache instead of trained in this run.</summary>
    [JsonPropertyName(K.Trial.Cached)]
    public bool Cached { get; init; }

    /// <summary>A trial read back (from a trial cache a server or another tool may have filled, from a worker) has every part and a known status.</summary>
    void IJsonOnDeserialized.OnDeserialized() => WholeRecord.Require(
        this is { Trainer: not null, Options: not null, Fingerprint: not null, Folds: not null, Mean: not null, StandardDeviation: not null }
        && Status is Ok or Promoted or Pruned or Failed
        && Folds.All(fold => fold is not null), "trial record");

    /// <summary>Whether the sweep can rank it by <paramref name="metric"/>: a failed trial needs no score.</summary>
    public bool Scores(string metric) => Status == Failed || (Mean.ContainsKey(metric) && StandardDeviation.ContainsKey(metric));
}
