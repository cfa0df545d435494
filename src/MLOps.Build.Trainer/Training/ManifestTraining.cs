using Microsoft.ML;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Export;
using MLOps.Build.Trainer.Progress;

namespace MLOps.Build.Trainer.Training;

/// <summary>A fitted model with the tables it was trained and tested on.</summary>
public sealed record TrainingRun(ModelManifest Manifest, MLContext ML, TrainingTable Train, TrainingTable Test, TrainedModel Model, TrainerChoice Trainer)
{
    /// <summary>The ONNX model as it ships (graph rewrites verified on a bounded sample of the training rows).</summary>
    public byte[] ExportOnnx() => OnnxExporter.ExportForScoring(ML, Model.ScoringModel, Train, Manifest.Task, Manifest.Seed);
}

/// <summary>Reads and types a manifest's data, holds out the test rows, and fits the model.</summary>
public sealed class ManifestTraining(DiagnosticBag diagnostics, TrainerProgress? progress = null)
{
    private readonly TrainerProgress _progress = progress ?? TrainerProgress.Silent;

    /// <param name="choice">The trainer to fit: a sweep's winner; the manifest's own <c>trainer</c> when null.</param>
    public TrainingRun? Fit(ModelManifest manifest, TrainerChoice? choice = null)
    {
        if (Read(manifest) is not var (train, test))
        {
            return null;
        }
        return Fit(manifest, train, test, choice ?? TrainerChoice.FromManifest(manifest.Trainer!));
    }

    /// <summary>Fits on tables already read (a sweep reads them once for every trial and the winner).</summary>
    public TrainingRun? Fit(ModelManifest manifest, TrainingTable train, TrainingTable test, TrainerChoice choice)
    {
        var ml = new MLContext(manifest.Seed);
        var model = new ModelTrainer(manifest, diagnostics, _progress).Train(ml, train, test, choice);
        return model is null ? null : new TrainingRun(manifest, ml, train, test, model, choice);
    }

    /// <summary><see cref="LoadTables"/>, reported as the run's "read" stage.</summary>
    public (TrainingTable Train, TrainingTable Test)? Read(ModelManifest manifest)
    {
        using var _ = _progress.Stage("read", $"reading '{manifest.Train!.DisplayName}'{(manifest.Test is null ? "" : $" and '{manifest.Test.DisplayName}'")}");
        return LoadTables(manifest);
    }

    /// <summary>The typed training and test tables exactly as training sees them (after any seeded split).</summary>
    /// Each feature's preprocessing (lower-casing, missing-value replacement) is decided on the training rows and set on both.
    public (TrainingTable Train, TrainingTable Test)? LoadTables(ModelManifest manifest)
    {
        if (Load(manifest, readTest: true) is not ({ } train, { } test))
        {
            return null;
        }
        var preprocessing = train.Features.Select(FeaturePreprocessing.Decide).ToArray();
        return (train.WithPreprocessing(preprocessing), test.WithPreprocessing(preprocessing));
    }

    /// <summary>The rows the model learned from (the drift check's reference), without reading the test file.</summary>
    public TrainingTable? LoadTrainingRows(ModelManifest manifest) => Load(manifest, readTest: false)?.Train;

    private (TrainingTable Train, TrainingTable? Test)? Load(ModelManifest manifest, bool readTest)
    {
        var trainFile = manifest.Train!;
        var trainPath = trainFile.FullPath(manifest.DirectoryPath);
        var trainFiles = DataFileSet.Of(trainFile, manifest.DirectoryPath);
        // Declared and excluded columns need no inference: the scan neither profiles nor decodes them.
        var known = new HashSet<string>(manifest.Columns.Where(c => c.Kind is not null || c.Format is not null).Select(c => c.Column).Concat(manifest.Exclude.Select(e => e.Name)), StringComparer.Ordinal);
        var scan = DataSetReader.Scan(trainFiles, trainPath, trainFile.PathLocation, diagnostics, known);
        if (scan is null)
        {
            return null;
        }
        var typer = new ColumnTyper(manifest, diagnostics);
        var schema = typer.DecideSchema(scan);
        if (diagnostics.HasErrors)
        {
            return null;
        }
        var train = typer.Read(trainFiles, trainPath, trainFile.PathLocation, schema, scan);
        if (train is null || !TrainingDataChecks.Check(manifest, train, trainPath, trainFile.PathLocation, diagnostics))
        {
            return null;
        }
        TrainingTable? test = null;
        if (readTest && manifest.Test is { } testFile)
        {
            var testPath = testFile.FullPath(manifest.DirectoryPath);
            test = typer.Read(DataFileSet.Of(testFile, manifest.DirectoryPath), testPath, testFile.PathLocation, schema);
            if (test is null)
            {
                return null;
            }
        }
        // Without a test file the hold-out comes from the training file, whether or not the test rows are wanted.
        return manifest.Test is null ? Split(train, manifest.TestFraction, manifest.Seed) : (train, test);
    }

    /// <summary>Seeded and independent of thread scheduling, so the same manifest always holds out the same rows.</summary>
    private static (TrainingTable Train, TrainingTable Test) Split(TrainingTable table, double testFraction, int seed)
    {
        var order = Enumerable.Range(0, table.RowCount).ToArray();
        new Random(seed).Shuffle(order);
        var testCount = Math.Max(1, (int)Math.Round(table.RowCount * testFraction));
        var test = order.Take(testCount).Order().ToArray();
        var train = order.Skip(testCount).Order().ToArray();
        return (table.Select(train), table.Select(test));
    }
}
