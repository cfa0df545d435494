using System.Text;
using Microsoft.Build.Framework;
using MLOps.Build.Git;
using MLOps.Build.Hashing;
using MLOps.Build.Tasks.Resolve;

namespace MLOps.Build.Tasks.Provenance;

/// <summary>
/// Everything a project's provenance statements and bill of materials are made from, as one text the
/// <see cref="WriteProvenance"/> task compares with the one it stamped after its last clean run: when nothing changed,
/// a no-op build skips the git processes (lock history, status) that writing them costs. Each file by size and time
/// (its <see cref="FileStamp"/>), the commit HEAD points at (read from .git, no process; a new commit can change who
/// accepted a model), the outputs themselves (deleted or edited ones are written again), the project's settings, and
/// whether a signing key is set, by a SHA-256 of it (the key itself is never written).
/// </summary>
internal static class ProvenanceInputs
{
    public static string Describe(IEnumerable<ITaskItem> models, string settings, string? signingKey, string? bomPath)
    {
        var text = new StringBuilder();
        text.Append("settings\t").Append(settings).Append('\n');
        text.Append("key\t").Append(signingKey is null ? "none" : FileHash.Sha256(Encoding.UTF8.GetBytes("mlops-provenance-key\n" + signingKey))).Append('\n');
        if (!string.IsNullOrEmpty(bomPath))
        {
            text.Append("bom\t").Append(bomPath).Append('\t').Append(Stamp(bomPath!)).Append('\n');
        }
        foreach (var model in models.OrderBy(m => m.GetMetadata(ModelItemMetadata.ModelName), StringComparer.Ordinal))
        {
            text.Append("model\t").Append(model.GetMetadata(ModelItemMetadata.ModelName)).Append('\t')
                .Append(GitHead.Commit(model.GetMetadata(ModelItemMetadata.RepositoryRoot)) ?? "no-commit").Append('\n');
            foreach (var path in new[]
                     {
                         model.ItemSpec,
                         model.GetMetadata(ModelItemMetadata.ModelCardPath),
                         model.GetMetadata(ModelItemMetadata.FingerprintPath),
                         model.GetMetadata(ModelItemMetadata.LockPath),
                         model.GetMetadata(ModelItemMetadata.ProvenancePath),
                         model.GetMetadata(ModelItemMetadata.SignedProvenancePath),
                     })
            {
                text.Append('\t').Append(path).Append('\t').Append(Stamp(path)).Append('\n');
            }
        }
        return text.ToString();
    }

    // Numbers as the build's other cache files write them (CacheFile).
    private static string Stamp(string path) =>
        path.Length > 0 && FileStamp.Of(path) is { } stamp ? CacheFile.Number(stamp.Length) + "/" + CacheFile.Number(stamp.LastWriteTicks) : "missing";
}
