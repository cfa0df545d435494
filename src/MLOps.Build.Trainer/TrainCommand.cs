using Microsoft.ML;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Hashing;
using MLOps.Build.IO;
using MLOps.Build.Json;
using MLOps.Build.Manifest;
using MLOps.Build.Text;
using MLOps.Build.Trainer.Artifacts;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Export;
using MLOps.Build.Trainer.Statistics;
using MLOps.Build.Trainer.Training;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer;

public sealed record TrainRequest(string ManifestPath, string OutputDirectory, string Fingerprint);

/// <summary>manifest → data → typed tables → ML.NET model → metrics → ONNX → parity → model card.</summary>
public sealed class TrainCommand(DiagnosticBag diagnostics)
{
    public bool Run(TrainRequest request)
    {
        var manifest = ManifestParser.ParseFile(request.ManifestPath, diagnostics);
        if (manifest is null)
        {
            return false;
        }
        if (manifest.Trainer is null)
        {
            return Import(manifest, request);
        }

        var run = new ManifestTraining(diagnostics).Fit(manifest);
        if (run is null)
        {
            return false;
        }
        var (train, test, trained) = (run.Train, run.Test, run.Model);

        byte[] onnx;
        try
        {
            onnx = run.ExportOnnx();
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            diagnostics.Add(D.OnnxExportFailed, manifest.Trainer.NameLocation, $"The trained {manifest.Trainer.Name} model cannot be exported to ONNX: {ex.Message}");
            return false;
        }

        using var scoring = new OnnxScoring(onnx);
        var parity = ParityChecker.Check(manifest.Task, trained.ScoredTest, scoring, test);
        if (parity.MaxAbsoluteDifference > manifest.ParityTolerance || parity.LabelAgreement < 1.0)
        {
            diagnostics.Add(D.ParityExceeded, manifest.Trainer.NameLocation,
                $"On the {parity.Rows} test rows ONNX Runtime's scores differ from ML.NET's by up to {parity.MaxAbsoluteDifference:G3} (parityTolerance {manifest.ParityTolerance:G3}) and agree on {parity.LabelAgreement:P2} of predicted labels.");
            return false;
        }

        var card = BuildCard(manifest, request, train, test, trained, scoring, onnx, parity);
        ArtifactWriter.Write(request.OutputDirectory, onnx, card, request.Fingerprint);
        var headline = string.Join(", ", card.Metrics.Take(3).Select(m => $"{m.Key} {m.Value:0.####}"));
        diagnostics.Add(D.ModelTrained, FileLocation.File(manifest.Path),
            $"{manifest.Name}: trained {manifest.Trainer.Name} on {train.RowCount} rows, tested on {test.RowCount}: {headline}; ONNX parity {parity.MaxAbsoluteDifference:G2}.");
        return true;
    }

    private bool Import(ModelManifest manifest, TrainRequest request)
    {
        var onnx = File.ReadAllBytes(manifest.Onnx!.FullPath(manifest.DirectoryPath));
        var card = new OnnxImporter(diagnostics).Import(manifest, onnx, request.Fingerprint);
        if (card is null)
        {
            return false;
        }
        ArtifactWriter.Write(request.OutputDirectory, onnx, card, request.Fingerprint);
        diagnostics.Add(D.ModelTrained, FileLocation.File(manifest.Path),
            $"{manifest.Name}: imported '{manifest.Onnx.RelativePath}' (opset {card.Onnx.Opset}; {card.Inputs.Count} inputs, {card.Outputs.Count} outputs).");
        return true;
    }

    private static ModelCard BuildCard(ModelManifest manifest, TrainRequest request, TrainingTable train, TrainingTable test,
        TrainedModel trained, OnnxScoring scoring, byte[] onnx, ParityResult parity)
    {
        // "Input" would clash with the generated class that holds these properties.
        var properties = PropertyNames.Assign(train.Features.Select(f => f.Name).ToArray(), reserved: ["Input"]);
        var inputs = train.Features.Select((f, i) =>
        {
            var meta = scoring.Inputs[f.Name];
            return new InputCard(f.Name, properties[i], f.Kind.ToName(), CSharpType(f),
                f.Name, OnnxTypeName(meta.ElementDataType.ToString()), meta.Dimensions.Select(d => (long)d).ToArray(),
                ColumnStatistics.Compute(f));
        }).ToArray();

        var outputs = OnnxExporter.ScoringOutputs(manifest.Task).Where(w => scoring.Outputs.ContainsKey(w.OnnxName)).Select(w =>
        {
            var meta = scoring.Outputs[w.OnnxName];
            var property = manifest.Task == ModelTask.Multiclass && w.Name == "Score" ? "Scores" : w.Name;
            return new OutputCard(w.Name, property, w.OnnxName, OnnxTypeName(meta.ElementDataType.ToString()), meta.Dimensions.Select(d => (long)d).ToArray());
        }).ToArray();

        var info = OnnxGraphInfo.Read(onnx);
        var directory = manifest.DirectoryPath;
        var data = new DataCard(
            new DataFileCard(manifest.Train!.RelativePath, PinnedHash(manifest.Train, directory), train.RowCount),
            manifest.Test is null ? null : new DataFileCard(manifest.Test.RelativePath, PinnedHash(manifest.Test, directory), test.RowCount),
            manifest.Test is null ? manifest.TestFraction : null);
        var options = manifest.Trainer!.Options.ToDictionary(o => o.Name, o => (object?)JsonValue(o.Value));

        return new ModelCard(ModelCard.CurrentSchemaVersion, manifest.Name, manifest.Version, manifest.Task.ToName(),
            manifest.Label, manifest.PositiveClass, trained.Classes, inputs, outputs,
            new OnnxCard(ArtifactNames.Onnx, FileHash.Sha256(onnx), info.DefaultOpset, info.IrVersion, info.Producer, ModelResources.Name(manifest.Name)),
            data,
            new TrainerCard(manifest.Trainer.Name, options, manifest.Seed),
            trained.Metrics,
            trained.PerClass,
            trained.CrossValidation,
            trained.Importance,
            new ParityCard(parity.MaxAbsoluteDifference, parity.LabelAgreement, parity.Rows, manifest.ParityTolerance),
            request.Fingerprint,
            new ToolCard(ToolVersion.Current, ToolVersion.Of(typeof(MLContext)), ToolVersion.Of(typeof(Microsoft.ML.OnnxRuntime.InferenceSession))));
    }

    /// <summary>The build verified the pinned hash just before training; only an unpinned file (a direct run) is read again.</summary>
    private static string PinnedHash(DataFileReference file, string directory) =>
        file.Sha256 ?? FileHash.Sha256(file.FullPath(directory));

    private static string CSharpType(FeatureColumn feature) => feature.Kind switch
    {
        ColumnKind.Category => "string",
        ColumnKind.Bool => "bool",
        _ => "float",
    };

    private static string OnnxTypeName(string elementType) => elementType.ToLowerInvariant();

    private static object? JsonValue(LocatedNode node) => node switch
    {
        LocatedScalar { Kind: LocatedKind.Number } n when n.TryGetDouble(out var d) => d,
        LocatedScalar { Kind: LocatedKind.True } => true,
        LocatedScalar { Kind: LocatedKind.False } => false,
        LocatedScalar s => s.Text,
        _ => null,
    };
}
