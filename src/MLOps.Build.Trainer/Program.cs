using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer;

// Invoked by the MLOps.Build TrainModels and CheckDrift tasks:
//   MLOps.Build.Trainer train --manifest <path> --output <dir> --fingerprint <hash> [--repository-root <dir>]
//                             [--trial-cache <dir>] [--parallelism <n>] [--shard i/n]
//                             [--remote-cache <url> --remote-cache-write true|false --remote-cache-timeout <s> --remote-cache-token-variable <name>]
//                             [--parent-pid <id>]   (the build process: when it is gone, the trainer stops)
//   MLOps.Build.Trainer drift --manifest <path> --output <dir> --fingerprint <drift hash> [--repository-root <dir>]
// and by the ResolveModels task, for a manifest whose queries need a snapshot (written to $MLOPS_SNAPSHOT_DIR):
//   MLOps.Build.Trainer snapshot --manifest <path> --repository-root <dir> [--update-lock true] [--parent-pid <id>]
//                                [--remote-cache <url> --remote-cache-write true|false --remote-cache-timeout <s> --remote-cache-token-variable <name>]
// and by the trainer itself, for each extra core of a sweep (trial requests on stdin, records on stdout):
//   MLOps.Build.Trainer trial-worker --manifest <path>
// Everything meant for the user goes to stdout as canonical MSBuild diagnostics; details go to stderr.
Console.OutputEncoding = System.Text.Encoding.UTF8;
var arguments = MLOps.Build.Protocol.TrainerArguments.Parse(args);
if (arguments?.ParentProcessId is { } parentId)
{
    MLOps.Build.Trainer.Hosting.ParentProcessWatch.Start(parentId, MLOps.Build.Trainer.Hosting.ParentProcessWatch.StopEverything);
}
switch (arguments)
{
    case { Command: MLOps.Build.Trainer.Sweeps.Workers.TrialWorkerCommand.Name }:
        return MLOps.Build.Trainer.Sweeps.Workers.TrialWorkerCommand.Run(arguments.ManifestPath, Console.In, Console.Out, Console.Error);
    case { Command: "snapshot" }:
        return Report(arguments.ManifestPath, diagnostics => new MLOps.Build.Trainer.Snapshots.SnapshotCommand(diagnostics).Run(
            new MLOps.Build.Trainer.Snapshots.SnapshotRequest(arguments.ManifestPath,
                arguments.RepositoryRoot ?? Path.GetDirectoryName(Path.GetFullPath(arguments.ManifestPath))!, arguments.UpdateLock)
            {
                RemoteCache = arguments.RemoteCache,
            }));
    case { Command: "drift", OutputDirectory: { } driftOutput }:
        return Report(arguments.ManifestPath, diagnostics => new MLOps.Build.Trainer.Drift.DriftCommand(diagnostics).Run(
            new MLOps.Build.Trainer.Drift.DriftRequest(arguments.ManifestPath, driftOutput, arguments.Fingerprint ?? "")));
    case { Command: "train", OutputDirectory: { } output }:
        return Report(arguments.ManifestPath, diagnostics => new TrainCommand(diagnostics, Console.Out).Run(
            new TrainRequest(arguments.ManifestPath, output, arguments.Fingerprint ?? "", arguments.TrialCacheDirectory, arguments.Parallelism)
            {
                RemoteCache = arguments.RemoteCache,
                Shard = MLOps.Build.Manifest.SweepShard.Parse(arguments.Shard),
            }));
    default:
        Console.Error.WriteLine("usage: MLOps.Build.Trainer train|drift --manifest <path> --output <dir> --fingerprint <hash>");
        return 2;
}

// Runs a command and prints what it found as canonical diagnostics; exit code 0 only without errors.
static int Report(string manifest, Func<DiagnosticBag, bool> command)
{
    var diagnostics = new DiagnosticBag();
    var ok = false;
    try
    {
        ok = command(diagnostics);
    }
#pragma warning disable CA1031 // The build must see a coded error, never a stack trace.
    catch (Exception ex)
#pragma warning restore CA1031
    {
        diagnostics.Add(DiagnosticCodes.TrainerCrashed, FileLocation.File(manifest),
            $"The trainer failed unexpectedly: {ex.GetType().Name}: {ex.Message} (details in the build log at detailed verbosity).");
        Console.Error.WriteLine(ex.ToString());
    }
    foreach (var diagnostic in diagnostics.Items)
    {
        Console.WriteLine(diagnostic.ToCanonicalString());
    }
    return ok && !diagnostics.HasErrors ? 0 : 1;
}
