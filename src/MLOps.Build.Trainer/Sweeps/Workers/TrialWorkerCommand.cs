using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Training;

namespace MLOps.Build.Trainer.Sweeps.Workers;

/// <summary>
/// The worker side of a parallel sweep (<c>MLOps.Build.Trainer trial-worker --manifest &lt;path&gt;</c>): reads the
/// training data once, exactly as the coordinating trainer did, then answers each <see cref="TrialRequest"/> line on
/// standard input with a <see cref="TrialRecord"/> line on standard output until its input closes.
/// </summary>
public static class TrialWorkerCommand
{
    public const string Name = "trial-worker";

    public static int Run(string manifestPath, TextReader input, TextWriter output, TextWriter error)
    {
        var diagnostics = new DiagnosticBag();
        var manifest = ManifestParser.ParseFile(manifestPath, diagnostics);
        if (manifest?.Sweep is null || new ManifestTraining(diagnostics).Read(manifest) is not var (train, _))
        {
            foreach (var diagnostic in diagnostics.Items)
            {
                error.WriteLine(diagnostic.ToCanonicalString());
            }
            error.WriteLine($"The trial worker cannot read the sweep of '{manifestPath}'.");
            return 1;
        }
        var evaluator = new TrialEvaluator(manifest, train);
        while (input.ReadLine() is { } line)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }
            TrialRequest request;
            TrialConfig config;
            try
            {
                request = TrialRequest.Parse(line);
                config = request.ToConfig(manifest);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                error.WriteLine($"A malformed trial request: {ex.Message}");
                return 1;
            }
            var record = evaluator.Evaluate(config, request.Fingerprint);
            output.WriteLine(TrialWorker.ResultPrefix + ArtifactJson.Line(record, ArtifactJson.TrialRecord));
            output.Flush();
        }
        return 0;
    }
}
