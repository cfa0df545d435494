using Microsoft.ML;
using MLOps.Build.Artifacts;
using MLOps.Build.Caching;
using MLOps.Build.Diagnostics;
using MLOps.Build.Fingerprints;
using MLOps.Build.Hashing;
using MLOps.Build.IO;
using MLOps.Build.Manifest;
using MLOps.Build.Text;
using MLOps.Shared;
using MLOps.Build.Trainer.Artifacts;
using MLOps.Build.Trainer.Comparisons;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Export;
using MLOps.Build.Trainer.Export.Compiled;
using MLOps.Build.Trainer.Progress;
using MLOps.Build.Trainer.Statistics;
using MLOps.Build.Trainer.Sweeps;
using MLOps.Build.Trainer.Training;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer;

/// <param name="TrialCacheDirectory">The shared cache's folder of sweep trials; null: the model's own folder only.</param>
/// <param name="Parallelism">Sweep trials run at once; 0: one per core.</param>
public sealed record TrainRequest(string ManifestPath, string OutputDirectory, string Fingerprint, string? TrialCacheDirectory = null, int Parallelism = 0)
{
    /// <summary>The remote cache, for sweep trials; null: none.</summary>
    public Caching.RemoteCacheSettings? RemoteCache { get; init; }

    /// <summary>Run only this shard of the sweep's trials and train no model (a CI matrix job).</summary>
    public SweepShard? Shard { get; init; }

    /// <summary>The accepted model's ONNX file and card (<see cref="ArtifactNames.Accepted"/>), to compare with on the same test rows; null: none.</summary>
    public string? AcceptedDirectory { get; init; }

    /// <summary>The model's run history: a sweep tries its earlier winners first (<see cref="WarmStart"/>); null: none.</summary>
    public string? RunHistoryPath { get; init; }
}

/// <summary>manifest → data → typed tables → ML.NET model → metrics → ONNX → parity → model card.</summary>
/// <param name="progressOutput">Where progress lines go (the trainer's standard output); null reports none.</param>
public sealed class TrainCommand(DiagnosticBag diagnostics, TextWriter? progressOutput = null)
{
    private readonly Dictionary<string, string> _hashes = new(StringComparer.Ordinal);

    public bool Run(TrainRequest request)
    {
        var manifest = ManifestParser.ParseFile(request.ManifestPath, diagnostics);
        if (manifest is null)
        {
            return false;
        }
        if (!manifest.Trains)
        {
            return Import(manifest, request);
        }

        // Read before anything is replaced: what the last training here was trained from, and what this one is.
        var previousCard = ArtifactJson.ReadOrNull(Path.Combine(request.OutputDirectory, ArtifactNames.ModelCard), ArtifactJson.ModelCard);
        var inputs = ArtifactJson.ReadOrNull(Path.Combine(request.OutputDirectory, ArtifactNames.InputParts), ArtifactJson.FingerprintParts);
        var progress = new TrainerProgress(manifest.Name, progressOutput ?? TextWriter.Null);
        var training = new ManifestTraining(diagnostics, progress);
        SweepResult? sweep = null;
        TrainingRun? run;
        if (manifest.Sweep is null)
        {
            run = training.Fit(manifest);
        }
        else
        {
            if (training.Read(manifest) is not var (trainTable, testTable) || Sweep(manifest, request, trainTable, progress) is not { } result)
            {
                return false;
            }
            sweep = result;
            if (request.Shard is { } shard)
            {
                // A shard's job is to fill the caches; the build that assembles the shards trains the winner.
                diagnostics.Add(D.SweepShardFinished, manifest.Sweep.Location,
                    $"{manifest.Name}: sweep shard {shard} ran its {sweep.Report.Counts.Evaluations} trials ({sweep.Report.Counts.Cached} cached, {sweep.Report.Counts.Trained} trained); no model is trained in a shard.");
                return true;
            }
            diagnostics.Add(D.SweepFinished, manifest.Sweep.Location, SweepRunner.Describe(manifest.Name, sweep));
            var dropped = sweep.Best.Dropped;
            run = training.Fit(manifest, ColumnDropping.Without(trainTable, dropped), ColumnDropping.Without(testTable, dropped), sweep.Best.ToChoice());
        }
        if (run is null)
        {
            return false;
        }
        var (train, test, trained) = (run.Train, run.Test, run.Model);

        if (Export(manifest, run, progress) is not var (onnx, loaded))
        {
            return false;
        }
        using var scoring = loaded;
        ParityCard parity;
        TrainingTable parityRows;
        ParityResult? miscounted;
        using (progress.Stage("parity", "comparing ONNX Runtime with ML.NET"))
        {
            (parity, parityRows, miscounted) = CheckParity(manifest, run, scoring);
        }
        if (parity.MaxAbsoluteDifference > manifest.ParityTolerance || parity.LabelAgreement < 1.0)
        {
            diagnostics.Add(D.ParityExceeded, run.Trainer.NameLocation,
                $"On {parity.Rows} rows ({parity.Rows - parity.EdgeRows} of the {parity.SampledFrom} test rows and {parity.EdgeRows} edge rows) ONNX Runtime's scores differ from ML.NET's by up to {parity.MaxAbsoluteDifference:G3} (parityTolerance {manifest.ParityTolerance:G3}) and agree on {parity.LabelAgreement:P2} of predicted labels.");
            return false;
        }

        var hasText = OnnxScoring.ScoresOneRowAtATime(train);
        ScoringCard? scoringCard;
        using (progress.Stage("compiled", "comparing compiled scoring with ONNX Runtime"))
        {
            scoringCard = CheckCompiledScoring(manifest, onnx, OnnxFeeds.From(parityRows), run.Trainer.NameLocation, hasText);
        }
        if (scoringCard is null)
        {
            return false;
        }
        if (hasText && scoringCard.Engine == ModelCardKeys.ScoringEngine.Compiled)
        {
            using (progress.Stage("text", "comparing compiled text featurization with ML.NET"))
            {
                scoringCard = CheckCompiledText(manifest, run, onnx, parityRows, scoringCard);
            }
            if (scoringCard is null)
            {
                return false;
            }
        }
        if (miscounted is { } differs && (differs.MaxAbsoluteDifference > manifest.ParityTolerance || differs.LabelAgreement < 1.0))
        {
            if (scoringCard.TextAgainstMLNet is null)
            {
                diagnostics.Add(D.ParityExceeded, run.Trainer.NameLocation,
                    $"On {differs.Rows} rows whose text holds a surrogate pair or U+FFFD, ONNX Runtime's scores differ from ML.NET's by up to {differs.MaxAbsoluteDifference:G3} (parityTolerance {manifest.ParityTolerance:G3}) and agree on {differs.LabelAgreement:P2} of predicted labels; the model is not compiled ({scoringCard.Reason}), so nothing scores these rows as ML.NET does.");
                return false;
            }
            diagnostics.Add(D.OnnxRuntimeTextDiffers, run.Trainer.NameLocation,
                $"{manifest.Name}: on {differs.Rows} of the {parity.Rows + differs.Rows} parity rows, text with a surrogate pair (an emoji, say) or U+FFFD, ONNX Runtime's scores of model.onnx differ from ML.NET's by up to {differs.MaxAbsoluteDifference:G3} and agree on {differs.LabelAgreement:P2} of predicted labels: its Tokenizer splits UTF-8 characters where ML.NET counts UTF-16 code units. The app scores compiled, which agrees with ML.NET (up to {scoringCard.TextAgainstMLNet.MaxAbsoluteDifference:G3}); model.onnx scored by ONNX Runtime elsewhere gives the differing scores.");
            scoringCard = scoringCard with { OnnxRuntimeDiffers = new ScorerAgreementCard(differs.MaxAbsoluteDifference, differs.LabelAgreement, differs.Rows, 0) };
        }

        ModelCard card;
        using (progress.Stage("statistics", $"column statistics of {train.RowCount:N0} training rows"))
        {
            card = BuildCard(manifest, request, run, scoring, onnx, parity) with { Sweep = sweep?.Summary, Scoring = scoringCard, InputsTrainedFrom = inputs };
        }
        ModelComparison? comparison = null;
        if (request.AcceptedDirectory is { } accepted)
        {
            using var _ = progress.Stage("compare", $"the accepted model against this one on {test.RowCount:N0} test rows");
            comparison = new AcceptedModelComparer(manifest).Compare(accepted, request.Fingerprint, test, scoring, trained.Classes,
                trained.CrossValidation?.TestSet ?? trained.Metrics);
        }
        ArtifactWriter.Write(request.OutputDirectory, onnx, card, request.Fingerprint, sweep?.Report, comparison);
        UnderutilizedColumns.Report(manifest, card.FeatureImportance, card.FeatureImportanceSample, diagnostics);
        progress.Report("done", progress.Summary());
        var headline = MetricCatalog.Summary(card.Metrics, MetricCatalog.Headline(manifest.Task, manifest.Gates.Select(g => g.Metric)));
        diagnostics.Add(D.ModelTrained, FileLocation.File(manifest.Path),
            $"{manifest.Name}: trained {run.Trainer.Name} on {train.RowCount} rows, tested on {test.RowCount}: {headline}; ONNX parity {parity.MaxAbsoluteDifference:G2}."
            + Because(previousCard, inputs, card));
        return true;
    }

    /// <summary>" Trained because …": what changed since the last training in this folder; empty when this run has no recorded inputs (a run by hand).</summary>
    private static string Because(ModelCard? previous, Dictionary<string, string>? inputs, ModelCard card)
    {
        if (inputs is null)
        {
            return "";
        }
        if (previous is null)
        {
            return " Trained because it was never trained here.";
        }
        return $" Trained because {RetrainReason.Describe(previous.InputsTrainedFrom, inputs, RetrainReason.RowsOf(previous, card))}.";
    }

    /// <summary>Searches trainers and options by cross-validation on the training rows; null after reporting why not.</summary>
    private SweepResult? Sweep(ModelManifest manifest, TrainRequest request, TrainingTable train, TrainerProgress progress)
    {
        if (SearchSpaces.Resolve(manifest, diagnostics) is not { } resolved || ColumnDropping.AddTo(resolved, manifest, train, diagnostics) is not { } spaces)
        {
            return null;
        }
        var sweep = manifest.Sweep!;
        var parallelism = request.Parallelism > 0 ? request.Parallelism : Environment.ProcessorCount;
        using var _ = progress.Stage("sweep", $"{sweep.Strategy.ToName()} sweep of {string.Join(", ", spaces.Select(s => s.Trainer.Name))}, {sweep.Folds}-fold on {train.RowCount:N0} rows, {parallelism} at a time");
        using var remote = RemoteTrialsFor(request, sweep.Location);
        var store = TrialStore.For(Path.Combine(request.OutputDirectory, ArtifactNames.Trials), request.TrialCacheDirectory, remote);
        // Not in a shard: every shard job and the build that assembles them must number the same configurations alike.
        var warm = request.RunHistoryPath is { } history && sweep.Strategy != SweepStrategy.Grid && request.Shard is null
            ? WarmStart.From(ReadHistory(history), spaces, sweep.Metric, MetricCatalog.HigherIsBetter(manifest.Task, sweep.Metric))
            : [];
        return new SweepRunner(manifest, train, PinnedHash(manifest.Train!, manifest.DirectoryPath), ToolVersion.Current, store, progress, parallelism)
            {
                Shard = request.Shard,
                WarmStart = warm,
            }
            .Run(spaces, diagnostics);
    }

    /// <summary>The run history; one that cannot be read only means no warm start.</summary>
    private static IReadOnlyList<RunRecord> ReadHistory(string path)
    {
        try
        {
            return RunHistory.Read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Sweep trials on the remote cache, so that CI jobs running shards of one sweep, and the job that assembles them, share them.</summary>
    private CircuitBreakerStore? RemoteTrialsFor(TrainRequest request, FileLocation location) =>
        request.RemoteCache?.Open() is { } server
            ? new CircuitBreakerStore(server, request.RemoteCache.Write, problem => diagnostics.Add(D.RemoteCacheUnavailable, location,
                $"The remote cache {server.Root} cannot be used for sweep trials ({problem}); it is off for the rest of this run, which goes on without it."))
            : null;

    /// <summary>The ONNX model as it ships, loaded in ONNX Runtime; null after reporting why it cannot be exported.</summary>
    private (byte[] Onnx, OnnxScoring Scoring)? Export(ModelManifest manifest, TrainingRun run, TrainerProgress progress)
    {
        try
        {
            using var _ = progress.Stage("export", "exporting to ONNX");
            var onnx = run.ExportOnnx();
            return (onnx, OnnxExporter.Load(onnx));
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            diagnostics.Add(D.OnnxExportFailed, run.Trainer.NameLocation, $"The trained {run.Trainer.Name} model cannot be exported to ONNX: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// ONNX Runtime against ML.NET on the test rows (all, or a seeded sample) and on synthetic edge rows: the card's
    /// parity, over the rows whose text ONNX Runtime counts as ML.NET does, and apart from it the same comparison on
    /// the others (<see cref="OnnxRuntimeText"/>; null when there are none). The rows returned are all of them.
    /// </summary>
    private static (ParityCard Card, TrainingTable Rows, ParityResult? Miscounted) CheckParity(ModelManifest manifest, TrainingRun run, OnnxScoring scoring)
    {
        var (rows, sampledFrom, edgeRows) = ParityRows.For(run.Test, manifest.Seed);
        var miscountedRows = OnnxRuntimeText.RowsItMiscounts(rows);
        var counted = miscountedRows.Length == 0 ? rows : rows.Select(Enumerable.Range(0, rows.RowCount).Except(miscountedRows).ToArray());
        var result = ParityChecker.Check(manifest.Task, run.Model.ScoringModel.Transform(new InMemoryDataView(counted, includeLabel: false)), scoring, counted);
        ParityResult? miscounted = null;
        if (miscountedRows.Length > 0)
        {
            var left = rows.Select(miscountedRows);
            miscounted = ParityChecker.Check(manifest.Task, run.Model.ScoringModel.Transform(new InMemoryDataView(left, includeLabel: false)), scoring, left);
        }
        return (new ParityCard(result.MaxAbsoluteDifference, result.LabelAgreement, result.Rows, manifest.ParityTolerance)
        {
            SampledFrom = sampledFrom,
            EdgeRows = edgeRows - miscountedRows.Count(r => r >= rows.RowCount - edgeRows),
            TextRowsLeftOut = miscountedRows.Length == 0 ? null : miscountedRows.Length,
        }, rows, miscounted);
    }

    /// <summary>
    /// The compiled scorer of a text model against ML.NET itself; null after reporting a difference (MLOPS2041).
    /// </summary>
    private ScoringCard? CheckCompiledText(ModelManifest manifest, TrainingRun run, byte[] onnx, TrainingTable parityRows, ScoringCard card)
    {
        var text = CompiledTextCheck.Run(onnx, manifest.Task, run.Model.ScoringModel, parityRows);
        if (text.MaxAbsoluteDifference > manifest.ParityTolerance || text.LabelAgreement < 1.0)
        {
            diagnostics.Add(D.CompiledTextMismatch, run.Trainer.NameLocation,
                $"{manifest.Name}: on {text.Rows} rows ({text.Rows - text.SyntheticRows} parity rows and {text.SyntheticRows} synthetic texts) the compiled scorer's scores differ from ML.NET's by up to {text.MaxAbsoluteDifference:G3} (parityTolerance {manifest.ParityTolerance:G3}) and agree on {text.LabelAgreement:P2} of predicted labels.");
            return null;
        }
        return card with { TextAgainstMLNet = text };
    }

    /// <summary>
    /// Compiled scoring against ONNX Runtime on <paramref name="rows"/> and on synthetic rows drawn from the graph's
    /// own thresholds and vocabularies. Null after reporting a mismatch (MLOPS2034); a graph outside the compiled
    /// subset is reported (MLOPS2035) and scored by ONNX Runtime.
    /// </summary>
    private ScoringCard? CheckCompiledScoring(ModelManifest manifest, byte[] onnx, OnnxFeeds? rows, FileLocation location, bool oneRowAtATime = false)
    {
        var synthetic = OnnxFeeds.Synthetic(onnx, SyntheticRows, manifest.Seed);
        var feeds = rows is null ? synthetic : rows.Concat(synthetic);
        var (card, mismatch) = CompiledScoringCheck.Run(onnx, feeds, manifest.ParityTolerance, oneRowAtATime);
        if (mismatch is not null)
        {
            diagnostics.Add(D.CompiledScoringMismatch, location,
                mismatch.InBlocks
                    ? $"{manifest.Name}: compiled scoring of a batch differs from one row at a time at {mismatch.Describe()}; {feeds.Rows} rows compared ({rows?.Rows ?? 0} data rows, {synthetic.Rows} synthetic)."
                    : $"{manifest.Name}: compiled scoring differs from ONNX Runtime at {mismatch.Describe()}; parityTolerance {manifest.ParityTolerance:G3}, {feeds.Rows} rows compared ({rows?.Rows ?? 0} data rows, {synthetic.Rows} synthetic).");
            return null;
        }
        if (card.Engine == ModelCardKeys.ScoringEngine.OnnxRuntime)
        {
            diagnostics.Add(D.ScoredByOnnxRuntime, location, $"{manifest.Name} is scored by ONNX Runtime, not compiled: {card.Reason}.");
        }
        return card;
    }

    /// <summary>Synthetic rows compared on top of the data's (see <see cref="OnnxFeeds.Synthetic"/>).</summary>
    private const int SyntheticRows = 512;

    private bool Import(ModelManifest manifest, TrainRequest request)
    {
        var onnx = File.ReadAllBytes(manifest.Onnx!.FullPath(manifest.DirectoryPath));
        var card = new OnnxImporter(diagnostics).Import(manifest, onnx, request.Fingerprint);
        if (card is null)
        {
            return false;
        }
        if (CheckCompiledScoring(manifest, onnx, null, FileLocation.File(manifest.Path)) is not { } scoringCard)
        {
            return false;
        }
        card = card with { Scoring = scoringCard };
        if (ImportedModelEvaluator.Applies(manifest))
        {
            // Trained elsewhere, tested here: the same gates as a model trained by the build.
            if (new ImportedModelEvaluator(manifest, diagnostics).Evaluate(onnx) is not { } metrics)
            {
                return false;
            }
            card = card with { Metrics = metrics };
        }
        ArtifactWriter.Write(request.OutputDirectory, onnx, card, request.Fingerprint);
        diagnostics.Add(D.ModelTrained, FileLocation.File(manifest.Path),
            $"{manifest.Name}: imported '{manifest.Onnx.RelativePath}' (opset {card.Onnx.Opset}; {card.Inputs.Count} inputs, {card.Outputs.Count} outputs)" +
            (card.Metrics.Count == 0 ? "." : $", tested: {MetricCatalog.Summary(card.Metrics, MetricCatalog.Headline(manifest.Task, manifest.Gates.Select(g => g.Metric)))}."));
        return true;
    }

    private ModelCard BuildCard(ModelManifest manifest, TrainRequest request, TrainingRun run, OnnxScoring scoring, byte[] onnx, ParityCard parity)
    {
        var (train, test, trained) = (run.Train, run.Test, run.Model);
        var properties = PropertyNames.Assign(train.Features.Select(f => f.Name).ToArray(), reserved: [CSharpIdentifiers.ReservedInputProperty]);
        var inputs = train.Features.Select((f, i) =>
        {
            var meta = scoring.Inputs[f.Name];
            var preprocessing = f.Preprocessing;
            var shape = meta.Dimensions.Select(d => (long)d).ToArray();
            if (OnnxScoring.ScoresOneRowAtATime(train) && shape.Length > 0)
            {
                // The card's shape is what the generated class feeds: one row per call for such a graph.
                shape[0] = 1;
            }
            return new InputCard(f.Name, properties[i], f.Kind.ToName(), CSharpType(f),
                f.Name, OnnxTypeName(meta.ElementDataType.ToString()), shape,
                ColumnStatistics.Compute(f))
            {
                Preprocessing = preprocessing == FeaturePreprocessing.None ? null : new PreprocessingCard(preprocessing.Lowercase, preprocessing.Policy, preprocessing.Replacement),
                DateParts = f.Kind.IsDate() ? (f.Kind == ColumnKind.DateTime ? DateParts.DateTimeNames : DateParts.DateNames) : null,
            };
        }).ToArray();

        var outputs = OnnxExporter.ScoringOutputs(manifest.Task).Where(w => scoring.Outputs.ContainsKey(w.OnnxName)).Select(w =>
        {
            var meta = scoring.Outputs[w.OnnxName];
            var property = CSharpIdentifiers.OutputProperty(w.Name, manifest.Task == ModelTask.Multiclass);
            return new OutputCard(w.Name, property, w.OnnxName, OnnxTypeName(meta.ElementDataType.ToString()), meta.Dimensions.Select(d => (long)d).ToArray());
        }).ToArray();

        var info = OnnxGraphInfo.Read(onnx);
        var directory = manifest.DirectoryPath;
        var data = new DataCard(
            new DataFileCard(manifest.Train!.CardPath, PinnedHash(manifest.Train, directory), train.RowCount) { Filtered = FilterCard(train.Filtered), Query = QuerySourceCard.Of(manifest.Train) },
            manifest.Test is null ? null : new DataFileCard(manifest.Test.CardPath, PinnedHash(manifest.Test, directory), test.RowCount) { Filtered = FilterCard(test.Filtered), Query = QuerySourceCard.Of(manifest.Test) },
            manifest.Test is null ? manifest.TestFraction : null);

        return new ModelCard(ModelCard.CurrentSchemaVersion, manifest.Name, manifest.Version, manifest.Task.ToName(),
            manifest.Label, manifest.PositiveClass, trained.Classes, inputs, outputs,
            new OnnxCard(ArtifactNames.Onnx, FileHash.Sha256(onnx), info.DefaultOpset, info.IrVersion, info.Producer, ModelResources.Name(manifest.Name)),
            data,
            new TrainerCard(run.Trainer.Name, run.Trainer.OptionValues(), manifest.Seed),
            trained.Metrics,
            trained.PerClass,
            trained.CrossValidation,
            trained.Importance,
            parity,
            request.Fingerprint,
            new ToolCard(ToolVersion.Current, ToolVersion.Of(typeof(MLContext)), ToolVersion.Of(typeof(Microsoft.ML.OnnxRuntime.InferenceSession))))
        {
            FeatureImportanceSample = trained.ImportanceSample,
            Curves = trained.Curves,
            Calibration = Estimation.ConfidenceScoring.Calibration(manifest.Task, scoring, test),
        };
    }

    /// <summary>The pinned hash (the build verified it just before training), else the file's or the set's (a trainer run outside a build); each file hashed once per run.</summary>
    private string PinnedHash(DataFileReference file, string directory)
    {
        if (file.Sha256 is { } pinned)
        {
            return pinned;
        }
        var set = DataFileSet.Of(file, directory);
        return set.IsSet ? set.Hash(HashOnce) : HashOnce(set.Files[0]);
    }

    private string HashOnce(string path)
    {
        if (!_hashes.TryGetValue(path, out var hash))
        {
            _hashes[path] = hash = FileHash.Sha256(path);
        }
        return hash;
    }

    private static RowFilterCard? FilterCard(RowFilterCounts? counts) =>
        counts is null ? null : new RowFilterCard(counts.RowsRead, counts.Dropped, counts.MissingLabel, counts.OutOfRange);

    private static string CSharpType(FeatureColumn feature) => feature.Kind switch
    {
        ColumnKind.Category => "string",
        ColumnKind.Text => "string",
        ColumnKind.Bool => "bool",
        ColumnKind.Date or ColumnKind.DateTime => "System.DateTime?",
        _ => "float",
    };

    // A trained model's inputs and outputs are float, string or bool: always a supported name.
    private static string OnnxTypeName(string elementType) => ElementTypes.FromOnnxName(elementType) ?? elementType.ToLowerInvariant();
}
