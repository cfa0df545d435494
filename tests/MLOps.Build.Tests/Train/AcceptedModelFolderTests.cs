using MLOps.Build.Artifacts;
using MLOps.Build.Caching;
using MLOps.Build.Hashing;
using MLOps.Build.IO;
using MLOps.Build.Tasks.Train;
using MLOps.Build.Tests.Cache;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Train;

public sealed class AcceptedModelFolderTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private static ModelLock Lock(string fingerprint, string onnx) =>
        new("M", fingerprint, FileHash.Sha256(System.Text.Encoding.UTF8.GetBytes(onnx)), new Dictionary<string, double>(), new Dictionary<string, string>(), "1.0");

    private string AcceptedFile(string name) => Path.Combine(_repo.Root, "artifacts", ArtifactNames.Accepted, name);

    [Fact]
    public void The_accepted_model_still_in_the_artifacts_folder_is_kept_before_training_replaces_it()
    {
        var artifacts = TrainedArtifacts.Write(_repo, "artifacts", "fa", onnx: "accepted-onnx");
        var accepted = Lock("fa", "accepted-onnx");

        AcceptedModelFolder.KeepFromArtifacts(accepted, artifacts);
        ModelArtifacts.Invalidate(artifacts);
        File.WriteAllText(Path.Combine(artifacts, ArtifactNames.Onnx), "new-onnx");

        Assert.Equal(Path.Combine(artifacts, ArtifactNames.Accepted), AcceptedModelFolder.Prepare(accepted, artifacts));
        Assert.Equal("accepted-onnx", File.ReadAllText(AcceptedFile(ArtifactNames.Onnx)));
        Assert.Equal("{}", File.ReadAllText(AcceptedFile(ArtifactNames.ModelCard)));
    }

    [Fact]
    public void Otherwise_it_comes_from_the_first_store_that_has_its_entry()
    {
        var cached = TrainedArtifacts.Write(_repo, "cached", "fa", onnx: "accepted-onnx");
        using var store = new FolderEntryStore(Path.Combine(_repo.Root, "cache"));
        Assert.Equal(StoreResult.Done, ArtifactEntries.Publish(store, "fa", cached, out _));
        var artifacts = TrainedArtifacts.Write(_repo, "artifacts", "fother", onnx: "other-onnx");
        var accepted = Lock("fa", "accepted-onnx");
        var asked = new List<string>();

        var folder = AcceptedModelFolder.Prepare(accepted, artifacts,
            () => { asked.Add("empty"); return null; },
            () => { asked.Add("cache"); return AcceptedModelFolder.From(store, accepted)(); },
            () => { asked.Add("never"); return null; });

        Assert.NotNull(folder);
        Assert.Equal(["empty", "cache"], asked);
        Assert.Equal("accepted-onnx", File.ReadAllText(AcceptedFile(ArtifactNames.Onnx)));
    }

    [Fact]
    public void Files_that_are_not_the_locked_model_are_never_compared_with()
    {
        var artifacts = TrainedArtifacts.Write(_repo, "artifacts", "fa", onnx: "rebuilt-onnx");

        // The stamp says fa, but the bytes are not what the lock accepted.
        AcceptedModelFolder.KeepFromArtifacts(Lock("fa", "accepted-onnx"), artifacts);

        Assert.Null(AcceptedModelFolder.Prepare(Lock("fa", "accepted-onnx"), artifacts, () => new Dictionary<string, byte[]>
        {
            [ArtifactNames.Onnx] = "tampered"u8.ToArray(),
            [ArtifactNames.ModelCard] = "{}"u8.ToArray(),
        }));
    }

    [Fact]
    public void There_is_an_accepted_model_to_compare_with_only_when_the_lock_names_another_model()
    {
        var manifest = _repo.Write("M.mlmodel.json", "{}");
        Assert.Null(AcceptedModelFolder.AcceptedOtherThan(manifest, "fa"));

        ArtifactJson.Write(ModelLock.PathFor(manifest), Lock("fa", "x"), ArtifactJson.ModelLock);
        Assert.Null(AcceptedModelFolder.AcceptedOtherThan(manifest, "fa"));
        Assert.Equal("fa", AcceptedModelFolder.AcceptedOtherThan(manifest, "fb")?.Fingerprint);

        File.WriteAllText(ModelLock.PathFor(manifest), "{ broken");
        Assert.Null(AcceptedModelFolder.AcceptedOtherThan(manifest, "fb"));
    }
}
