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
var options = ParseArguments(args);
if (int.TryParse(options.GetValueOrDefault("parent-pid"), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parentId))
{
    MLOps.Build.Trainer.Hosting.ParentProcessWatch.Start(parentId, MLOps.Build.Trainer.Hosting.ParentProcessWatch.StopEverything);
}
if (args.Length > 0 && args[0] == MLOps.Build.Trainer.Sweeps.Workers.TrialWorkerCommand.Name && options.TryGetValue("manifest", out var sweepManifest))
{
    return MLOps.Build.Trainer.Sweeps.Workers.TrialWorkerCommand.Run(sweepManifest, Console.In, Console.Out, Console.Error);
}
if (args.Length > 0 && args[0] == "snapshot" && options.TryGetValue("manifest", out var snapshotManifest))
{
    return Report(snapshotManifest, diagnostics => new MLOps.Build.Trainer.Snapshots.SnapshotCommand(diagnostics).Run(
        new MLOps.Build.Trainer.Snapshots.SnapshotRequest(snapshotManifest,
            options.GetValueOrDefault("repository-root") ?? Path.GetDirectoryName(Path.GetFullPath(snapshotManifest))!,
            options.GetValueOrDefault("update-lock") == "true")
        {
            RemoteCache = MLOps.Build.Trainer.Hosting.RemoteCacheSettings.FromArguments(options),
        }));
}
if (args.Length == 0 || args[0] is not ("train" or "drift") || !options.TryGetValue("manifest", out var manifest) || !options.TryGetValue("output", out var output))
{
    Console.Error.WriteLine("usage: MLOps.Build.Trainer train|drift --manifest <path> --output <dir> --fingerprint <hash>");
    return 2;
}

var fingerprint = options.GetValueOrDefault("fingerprint", "");
return Report(manifest, diagnostics => args[0] == "drift"
    ? new MLOps.Build.Trainer.Drift.DriftCommand(diagnostics).Run(new MLOps.Build.Trainer.Drift.DriftRequest(manifest, output, fingerprint))
    : new TrainCommand(diagnostics, Console.Out).Run(new TrainRequest(manifest, output, fingerprint,
        options.GetValueOrDefault("trial-cache"),
        int.TryParse(options.GetValueOrDefault("parallelism"), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parallelism) ? parallelism : 0)
    {
        RemoteCache = MLOps.Build.Trainer.Hosting.RemoteCacheSettings.FromArguments(options),
        Shard = MLOps.Build.Manifest.SweepShard.Parse(options.GetValueOrDefault("shard")),
    }));

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

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 1; i + 1 < args.Length; i += 2)
    {
        if (args[i].StartsWith("--", StringComparison.Ordinal))
        {
            result[args[i][2..]] = args[i + 1];
        }
    }
    return result;
}
