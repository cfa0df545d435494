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
// The build adds --result <file>: the trainer writes its outcome and diagnostics there (TrainerResult) and the build
// decides on that file alone. Without it (a run by hand) diagnostics go to stdout in MSBuild's canonical form.
// Progress goes to stdout either way; details (stack traces) go to stderr.
Console.OutputEncoding = System.Text.Encoding.UTF8;
var arguments = MLOps.Build.Protocol.TrainerArguments.Parse(args);
if (arguments?.ParentProcessId is { } parentId)
{
    MLOps.Build.Trainer.Hosting.ParentProcessWatch.Start(parentId, MLOps.Build.Trainer.Hosting.ParentProcessWatch.StopEverything);
}
// On a thread of the pool, not the main thread: ML.NET's FastTree with one thread hands every split search to Task.Run
// and waits for it (its ThreadTaskManager). From a thread outside the pool that task goes to the pool's global queue,
// and a pool thread must wake to run it while the waiting thread spins; the two ping-pong tens of thousands of times a
// trial, which cost about a third of the trainer's CPU and, unpinned, a second core. From a pool thread the task goes
// to that thread's own queue and the wait runs it inline (benchmarks/README.md, Sweeps).
return Task.Run(() => Dispatch(arguments)).GetAwaiter().GetResult();

static int Dispatch(MLOps.Build.Protocol.TrainerArguments? arguments)
{
    switch (arguments)
    {
        case { Command: MLOps.Build.Trainer.Sweeps.Workers.TrialWorkerCommand.Name }:
            return MLOps.Build.Trainer.Sweeps.Workers.TrialWorkerCommand.Run(arguments.ManifestPath, Console.In, Console.Out, Console.Error);
        case { Command: "snapshot" }:
            return Report(arguments, diagnostics => new MLOps.Build.Trainer.Snapshots.SnapshotCommand(diagnostics).Run(
                new MLOps.Build.Trainer.Snapshots.SnapshotRequest(arguments.ManifestPath,
                    arguments.RepositoryRoot ?? Path.GetDirectoryName(Path.GetFullPath(arguments.ManifestPath))!, arguments.UpdateLock)
                {
                    RemoteCache = arguments.RemoteCache,
                }));
        case { Command: "drift", OutputDirectory: { } driftOutput }:
            return Report(arguments, diagnostics => new MLOps.Build.Trainer.Drift.DriftCommand(diagnostics).Run(
                new MLOps.Build.Trainer.Drift.DriftRequest(arguments.ManifestPath, driftOutput, arguments.Fingerprint ?? "")));
        case { Command: "train", OutputDirectory: { } output }:
            return Report(arguments, diagnostics => new TrainCommand(diagnostics, Console.Out).Run(
                new TrainRequest(arguments.ManifestPath, output, arguments.Fingerprint ?? "", arguments.TrialCacheDirectory, arguments.Parallelism)
                {
                    RemoteCache = arguments.RemoteCache,
                    Shard = MLOps.Build.Manifest.SweepShard.Parse(arguments.Shard),
                    AcceptedDirectory = arguments.AcceptedDirectory,
                    RunHistoryPath = arguments.RunHistoryPath,
                }));
        default:
            Console.Error.WriteLine("usage: MLOps.Build.Trainer train|drift --manifest <path> --output <dir> --fingerprint <hash>");
            return 2;
    }
}

// Runs a command and reports what it found (to the result file, or as canonical diagnostics); exit code 0 only without errors.
static int Report(MLOps.Build.Protocol.TrainerArguments arguments, Func<DiagnosticBag, bool> command)
{
    var manifest = arguments.ManifestPath;
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
    var succeeded = ok && !diagnostics.HasErrors;
    if (arguments.ResultPath is { } resultPath && WriteResult(resultPath, new MLOps.Build.Protocol.TrainerResult(succeeded, diagnostics.Items)))
    {
        return succeeded ? 0 : 1;
    }
    foreach (var diagnostic in diagnostics.Items)
    {
        Console.WriteLine(diagnostic.ToCanonicalString());
    }
    return succeeded ? 0 : 1;
}

// The build reads a missing result as a failed run; what was found is still printed for its log.
static bool WriteResult(string path, MLOps.Build.Protocol.TrainerResult result)
{
    try
    {
        result.Write(path);
        return true;
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"The result file '{path}' could not be written: {ex.Message}");
        return false;
    }
}
