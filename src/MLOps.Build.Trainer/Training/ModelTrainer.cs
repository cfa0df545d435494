using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Progress;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Training;

/// <summary>Fits the pipeline on the training table and evaluates it on the test table.</summary>
public sealed class ModelTrainer(ModelManifest manifest, DiagnosticBag diagnostics, TrainerProgress progress)
{
    public TrainedModel? Train(MLContext ml, TrainingTable train, TrainingTable test, TrainerChoice spec)
    {
        var entry = TrainerRegistry.Find(manifest.Task, spec.Name);
        if (entry is null)
        {
            diagnostics.Add(D.UnknownTrainer, spec.NameLocation, $"Trainer '{spec.Name}' is not available for task '{manifest.Task.ToName()}'.");
            return null;
        }
        var options = OptionBinder.Bind(entry, spec.Options, manifest.Seed, diagnostics, entry.Threads);
        if (options is null)
        {
            return null;
        }
        if (!CheckClasses(train))
        {
            return null;
        }

        var trainView = new InMemoryDataView(train, includeLabel: true);
        var testView = new InMemoryDataView(test, includeLabel: true);
        try
        {
            var labelMapping = PipelineFactory.FitLabelMapping(ml, manifest.Task, trainView);
            var mappedTrain = labelMapping?.Transform(trainView) ?? trainView;
            var mappedTest = labelMapping?.Transform(testView) ?? testView;

            var estimator = PipelineFactory.Featurize(ml, train.Features, entry.NeedsNormalization)
                .Append(entry.Create(ml, options));
            ITransformer core;
            using (progress.Stage("train", $"training {spec.Name} on {train.RowCount:N0} rows of {train.Features.Count} features"))
            {
                core = estimator.Fit(mappedTrain);
            }
            using var evaluating = progress.Stage("evaluate", $"evaluating on {test.RowCount:N0} test rows");
            ITransformer scoring = core;
            var scoredTest = core.Transform(mappedTest);
            var classes = Array.Empty<string>();
            object metrics;
            ClassEvaluationCard? perClass = null;
            switch (manifest.Task)
            {
                case ModelTask.Multiclass:
                    var multiclass = ml.MulticlassClassification.Evaluate(scoredTest, InMemoryDataView.LabelColumnName);
                    metrics = multiclass;
                    classes = ClassNames(scoredTest);
                    perClass = Describe(classes, multiclass.ConfusionMatrix, multiclass.PerClassLogLoss);
                    // The exported model returns the class name, not ML.NET's key.
                    var keyToValue = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(scoredTest);
                    scoring = new TransformerChain<ITransformer>(core, keyToValue);
                    scoredTest = keyToValue.Transform(scoredTest);
                    break;
                case ModelTask.Binary:
                    var binary = scoredTest.Schema.GetColumnOrNull("Probability") is null
                        ? ml.BinaryClassification.EvaluateNonCalibrated(scoredTest, InMemoryDataView.LabelColumnName)
                        : ml.BinaryClassification.Evaluate(scoredTest, InMemoryDataView.LabelColumnName);
                    metrics = binary;
                    classes = ["false", "true"];
                    // ML.NET orders the binary confusion matrix positive class first.
                    perClass = Describe(["true", "false"], binary.ConfusionMatrix, null);
                    break;
                default:
                    metrics = ml.Regression.Evaluate(scoredTest, InMemoryDataView.LabelColumnName);
                    break;
            }
            var testMetrics = MetricReader.Read(manifest.Task, metrics);
            evaluating.Dispose();
            var calibrated = scoredTest.Schema.GetColumnOrNull("Probability") is not null;
            IReadOnlyList<FeatureImportanceCard>? importance = null;
            ImportanceSampleCard? importanceSample = null;
            if (manifest.Importance.Enabled)
            {
                using var _ = progress.Stage("importance", $"permutation importance of {train.Features.Count} columns on up to {manifest.Importance.SampleRows(train.Features.Count):N0} test rows");
                (importance, importanceSample) = new ColumnImportance(ml, manifest.Task, labelMapping, core, calibrated).Compute(test, manifest.Importance, manifest.Seed);
            }
            var model = new TrainedModel(scoring, scoredTest, testMetrics, classes, options, perClass, null, importance)
            {
                ImportanceSample = importanceSample,
                Curves = TestCurves.Compute(manifest.Task, scoredTest, InMemoryDataView.LabelColumnName),
            };
            if (manifest.Folds > 1)
            {
                using var _ = progress.Stage("cross-validate", $"{manifest.Folds}-fold cross-validation on {train.RowCount:N0} rows");
                var folds = CrossValidator.Run(ml, manifest.Task, mappedTrain,
                    PipelineFactory.Featurize(ml, train.Features, entry.NeedsNormalization).Append(entry.Create(ml, options)), manifest.Folds, manifest.Seed, calibrated);
                var (mean, std) = CrossValidator.Summarize(folds);
                var cv = new CrossValidationCard(folds.Count, mean, std, testMetrics);
                // Gates apply to the cross-validated means; the held-out test set's metrics stay in the card.
                model = model with { Metrics = mean, CrossValidation = cv };
            }
            return model;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            diagnostics.Add(D.TrainingFailed, spec.NameLocation, $"{spec.Name} failed to train: {ex.Message}");
            return null;
        }
    }

    private bool CheckClasses(TrainingTable train)
    {
        var label = train.Label;
        var distinct = label.Classes?.CountByCode().Count(c => c > 0) ?? label.Flags?.Distinct().Count() ?? 2;
        if (distinct >= 2)
        {
            return true;
        }
        var only = label.Classes?.FirstOrDefault() ?? label.Flags?.FirstOrDefault().ToString().ToLowerInvariant();
        diagnostics.Add(D.SingleClassLabel, manifest.LabelLocation,
            $"Label '{label.Name}' has a single class ('{only}') in the training data; a {manifest.Task.ToName()} model needs at least two.");
        return false;
    }

    private static ClassEvaluationCard Describe(IReadOnlyList<string> classes, ConfusionMatrix matrix, IReadOnlyList<double>? logLoss) => new(
        classes,
        matrix.PerClassPrecision.Select(Round).ToArray(),
        matrix.PerClassRecall.Select(Round).ToArray(),
        logLoss?.Select(Round).ToArray(),
        matrix.Counts.Select(row => (IReadOnlyList<long>)row.Select(c => (long)Math.Round(c)).ToArray()).ToArray());

    private static double Round(double value) => double.IsNaN(value) ? 0 : Math.Round(value, 9);

    private static string[] ClassNames(IDataView scored)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["Score"].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}
