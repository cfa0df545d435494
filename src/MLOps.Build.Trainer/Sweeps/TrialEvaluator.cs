using System.Diagnostics;
using Microsoft.ML;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>
/// Cross-validates one configuration on the training data (never the test data), single-threaded and seeded, so
/// that its result does not depend on what runs beside it. Thread-safe: trials run concurrently.
/// </summary>
public sealed class TrialEvaluator
{
    private readonly ModelManifest _manifest;
    private readonly TrainingTable _train;
    private readonly IDataView _data;

    public TrialEvaluator(ModelManifest manifest, TrainingTable train)
    {
        _manifest = manifest;
        _train = train;
        var view = new InMemoryDataView(train, includeLabel: true);
        var labelMapping = PipelineFactory.FitLabelMapping(new MLContext(manifest.Seed), manifest.Task, view);
        _data = labelMapping?.Transform(view) ?? view;
    }

    public int Folds => _manifest.Sweep!.Folds;

    /// <summary>Every metric per fold, their means and deviations; status "failed" with the reason when it cannot train.</summary>
    public TrialRecord Evaluate(TrialConfig config, string fingerprint)
    {
        var clock = Stopwatch.StartNew();
        var diagnostics = new DiagnosticBag();
        var entry = config.Space.Trainer;
        var options = OptionBinder.Bind(entry, config.ToChoice().Options, _manifest.Seed, diagnostics);
        if (options is null)
        {
            return Failed(config, fingerprint, string.Join(" ", diagnostics.Items.Select(d => d.Message)), clock);
        }
        try
        {
            var ml = new MLContext(_manifest.Seed);
            var features = ColumnDropping.Without(_train, config.Dropped).Features;
            if (features.Count == 0)
            {
                return Failed(config, fingerprint, "it leaves out every feature column", clock);
            }
            var estimator = PipelineFactory.Featurize(ml, features, entry.NeedsNormalization).Append(entry.Create(ml, options));
            var folds = CrossValidator.Run(ml, _manifest.Task, _data, estimator, Folds, _manifest.Seed, entry.Calibrated);
            var (mean, std) = CrossValidator.Summarize(folds);
            if (!mean.ContainsKey(_manifest.Sweep!.Metric))
            {
                return Failed(config, fingerprint, $"{entry.Name} does not measure {_manifest.Sweep.Metric}", clock);
            }
            return new TrialRecord(config.Index, 0, config.Trainer, config.OptionValues(), fingerprint, TrialRecord.Ok, null,
                folds, mean, std, clock.ElapsedMilliseconds);
        }
        // Trainers report a bad option value with whatever exception their code happens to hit (LightGbm divides by
        // zero for NumberOfLeaves 0), so any failure but running out of memory is the trial's, not the sweep's.
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Failed(config, fingerprint, $"{ex.GetType().Name}: {ex.Message}", clock);
        }
    }

    private static TrialRecord Failed(TrialConfig config, string fingerprint, string reason, Stopwatch clock) =>
        new(config.Index, 0, config.Trainer, config.OptionValues(), fingerprint, TrialRecord.Failed, reason, [],
            new SortedDictionary<string, double>(), new SortedDictionary<string, double>(), clock.ElapsedMilliseconds);
}
