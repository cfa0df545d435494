using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Git;
using MLOps.Build.Hashing;
using MLOps.Build.Manifest;
using MLOps.Build.Paths;
using MLOps.Build.Provenance;
using MLOps.Build.Tasks.Validate;
using MLOps.Shared;

namespace MLOps.Build.Tasks.Provenance;

/// <summary>
/// A trained model's provenance statement from its card, manifest, lock file and the repository's git state, built on
/// every build (the commit changes without any input of the model changing); <see cref="WriteProvenance"/> writes it
/// only when its bytes change, so that the assembly embedding it is not recompiled for nothing.
/// </summary>
public static class ProvenanceWriter
{
    /// <summary>The statement, or null when the model has no card (not trained, or its build failed).</summary>
    public static ProvenanceStatement? Build(string manifestPath, string artifactsDirectory, string repositoryRoot)
    {
        var cardPath = Path.Combine(artifactsDirectory, IO.ArtifactNames.ModelCard);
        var quiet = new DiagnosticBag();
        if (!File.Exists(cardPath) || ManifestParser.ParseFile(manifestPath, quiet) is not { } manifest)
        {
            return null;
        }
        var card = ArtifactJson.Read(cardPath, ArtifactJson.ModelCard);
        var lockPath = ModelLock.PathFor(manifestPath);
        // A damaged lock is the validation step's to report (MLOPS3010); like it, provenance then knows no acceptance.
        var accepted = ArtifactJson.ReadOrNull(lockPath, ArtifactJson.ModelLock);
        var gates = new List<GateResult>();
        GateEvaluator.Evaluate(manifest, card.Metrics, accepted?.Metrics, quiet, gates);
        return new ProvenanceStatement(
            ProvenanceKeys.CurrentSchemaVersion, card.Name, card.Version, card.Task, card.Label,
            new ProvenanceFile(RepositoryPaths.Relative(repositoryRoot, manifestPath), FileHash.Sha256(manifestPath)),
            GitHead.Commit(repositoryRoot),
            Data(card),
            card.Trainer,
            card.Metrics,
            gates.Select(g => new ProvenanceGate(g.Metric, g.Bounds, g.Value, g.Outcome)).ToList(),
            accepted is null ? null : Acceptance(accepted, card, lockPath, repositoryRoot),
            new ProvenanceFile(RepositoryPaths.Relative(repositoryRoot, Path.Combine(artifactsDirectory, IO.ArtifactNames.Onnx)), card.Onnx.Sha256),
            card.Fingerprint,
            card.Tool);
    }

    private static List<ProvenanceData> Data(ModelCard card)
    {
        var data = new List<ProvenanceData>();
        if (card.Data is { } files)
        {
            data.Add(Entry("data.train", files.Train));
            if (files.Test is { } test)
            {
                data.Add(Entry("data.test", test));
            }
        }
        return data;
    }

    private static ProvenanceData Entry(string role, DataFileCard file) => new(role, file.Path, file.Sha256, file.Rows, file.Query);

    /// <summary>
    /// Whether the embedded model is the accepted one, and who accepted it: the last commit that changed the lock file,
    /// unless the lock file has changes not committed yet (then nobody has, so far).
    /// </summary>
    private static ProvenanceAcceptance Acceptance(ModelLock accepted, ModelCard card, string lockPath, string repositoryRoot)
    {
        var isAccepted = accepted.ModelSha256 == card.Onnx.Sha256;
        var relative = RepositoryPaths.Relative(repositoryRoot, lockPath);
        LockCommit? last = null;
        if (!LockHistory.IsUncommitted(repositoryRoot, relative) && LockHistory.Commits(repositoryRoot, relative, limit: 1) is [var commit])
        {
            last = commit;
        }
        return new ProvenanceAcceptance(relative, accepted.ModelSha256, isAccepted, last?.Author, last?.At, last?.Commit);
    }
}
