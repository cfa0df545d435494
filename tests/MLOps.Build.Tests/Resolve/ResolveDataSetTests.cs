using MLOps.Build.Testing;
using System.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MLOps.Build.Hashing;
using MLOps.Build.Manifest;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Resolve;

/// <summary>A folder or glob of files (a service's capture folder) as one data entry, pinned by one hash.</summary>
public sealed class ResolveDataSetTests : IDisposable
{
    private readonly TempRepository _repo = new();
    private readonly FakeBuildEngine _engine = new();

    public void Dispose() => _repo.Dispose();

    private string Manifest(string current, string? sha = null)
    {
        var train = _repo.Write("app/Models/data/train.csv", "x,y\n1,a\n2,b\n");
        return _repo.Write("app/Models/M.mlmodel.json",
            "{\n  \"name\": \"M\", \"task\": \"multiclass\", \"label\": \"y\",\n" +
            $"  \"data\": {{ \"train\": {{ \"path\": \"data/train.csv\", \"sha256\": \"{FileHash.Sha256(train)}\" }} }},\n" +
            "  \"trainer\": \"LightGbm\",\n" +
            $"  \"drift\": {{ \"current\": {{ \"path\": \"{current}\"{(sha is null ? "" : $", \"sha256\": \"{sha}\"")} }} }}\n}}\n");
    }

    private (bool Ok, ITaskItem? Item) Run(string manifest, bool updateLock = false)
    {
        _engine.Clear();
        var task = new Tasks.ResolveModels
        {
            BuildEngine = _engine,
            Models = [new TaskItem(manifest)],
            ProjectDirectory = Path.Combine(_repo.Root, "app"),
            ArtifactsRoot = Path.Combine(_repo.Root, "app", "obj", "mlops"),
            RootNamespace = "App",
            ToolVersion = "test",
            UpdateLock = updateLock,
        };
        var ok = task.Execute();
        return (ok, task.ResolvedModels.SingleOrDefault());
    }

    private void Capture(string name, string content) => _repo.Write("app/Models/captured/" + name, content);

    [Fact]
    [Trait(TestTiers.Trait, TestTiers.ChildProcess)]
    public void A_folder_is_pinned_by_one_hash_that_sha256sum_of_its_listing_gives_too()
    {
        Capture("capture-M-1.csv", "x\n5\n");
        Capture("capture-M-2.csv", "x\n7\n");
        var manifest = Manifest("captured/");

        var (ok, _) = Run(manifest, updateLock: true);

        Assert.True(ok, string.Join("\n", _engine.Errors));
        var updated = Assert.Single(_engine.Messages, m => m.Code == "MLOPS1025");
        Assert.Contains("'captured/' (2 files)", updated.Message);
        var pinned = PinnedHash(manifest);
        Assert.Equal(ShellSetHash(Path.Combine(_repo.Root, "app", "Models", "captured"), "*.csv"), pinned);
        Assert.True(Run(manifest).Ok);
    }

    [Fact]
    public void A_file_added_to_a_pinned_folder_is_MLOPS1021_also_through_the_cached_resolution()
    {
        Capture("capture-M-1.csv", "x\n5\n");
        var manifest = Manifest("captured/");
        Assert.True(Run(manifest, updateLock: true).Ok);
        Assert.True(Run(manifest).Ok);
        var fingerprint = Run(manifest).Item!.GetMetadata("DriftFingerprint");

        Capture("capture-M-2.csv", "x\n7\n");
        var (ok, _) = Run(manifest);

        Assert.False(ok);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal("MLOPS1021", error.Code);
        Assert.Contains("'drift.current' files 'captured/' (2 files) have changed", error.Message);

        Assert.True(Run(manifest, updateLock: true).Ok);
        Assert.NotEqual(fingerprint, Run(manifest).Item!.GetMetadata("DriftFingerprint"));
    }

    [Fact]
    public void A_renamed_or_changed_file_changes_the_set_hash()
    {
        var folder = Path.Combine(_repo.Root, "app", "Models", "captured");
        Capture("a.csv", "x\n5\n");
        Capture("b.csv", "x\n7\n");
        string Hash() => DataFileSet.Of(new DataFileReference("drift.current", "captured/*.csv", default, null, null, null!), Path.Combine(_repo.Root, "app", "Models")).Hash(FileHash.Sha256);
        var first = Hash();

        File.Move(Path.Combine(folder, "b.csv"), Path.Combine(folder, "c.csv"));
        var renamed = Hash();
        File.WriteAllText(Path.Combine(folder, "c.csv"), "x\n8\n");
        var changed = Hash();

        Assert.Equal(3, new[] { first, renamed, changed }.Distinct().Count());
    }

    [Fact]
    public void A_file_still_being_written_and_hidden_folders_are_not_part_of_the_set()
    {
        Capture("capture-M-1.parquet", "x");
        var manifest = Manifest("captured/**/*.parquet");
        Assert.True(Run(manifest, updateLock: true).Ok);
        var pinned = PinnedHash(manifest);

        Capture(".capture-M-2.parquet.tmp", "partial");
        Capture(".capture-M-3.parquet", "partial");
        Capture(".hidden/capture-M-4.parquet", "partial");
        Capture("notes.txt", "not matched by the glob");

        Assert.True(Run(manifest).Ok, string.Join("\n", _engine.Errors));
        Capture("2026/12/capture-M-5.parquet", "y");
        Assert.False(Run(manifest).Ok);
        Assert.Equal("MLOPS1021", Assert.Single(_engine.Errors).Code);
        Assert.Equal(pinned, PinnedHash(manifest));
    }

    [Fact]
    public void A_glob_that_matches_nothing_is_MLOPS1020()
    {
        Capture("notes.txt", "x");

        var (ok, _) = Run(Manifest("captured/*.parquet"));

        Assert.False(ok);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal("MLOPS1020", error.Code);
        Assert.Contains("no file matches", error.Message);
    }

    [Fact]
    public void A_link_in_a_set_to_a_file_outside_the_repository_is_MLOPS1023()
    {
        Capture("capture-M-1.csv", "x\n5\n");
        var outside = Path.Combine(Path.GetTempPath(), "mlops-outside-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(outside, "x\n1\n");
        try
        {
            File.CreateSymbolicLink(Path.Combine(_repo.Root, "app", "Models", "captured", "capture-M-2.csv"), outside);

            var (ok, _) = Run(Manifest("captured/"), updateLock: true);

            Assert.False(ok);
            var error = Assert.Single(_engine.Errors);
            Assert.Equal("MLOPS1023", error.Code);
            Assert.Contains("file 'capture-M-2.csv'", error.Message);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_named_pipe_or_an_empty_file_is_MLOPS1032_and_never_opened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        Capture("capture-M-1.csv", "x\n5\n");
        Capture("capture-M-2.csv", "");
        Assert.Equal(0, MakeFifo(Path.Combine(_repo.Root, "app", "Models", "current.csv"), 0b110_100_100));

        // Opening a pipe waits for a writer that never comes: a regression here hangs, so the runs are bounded.
        var (ok, _) = await System.Threading.Tasks.Task.Run(() => Run(Manifest("current.csv"), updateLock: true)).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.False(ok);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal("MLOPS1032", error.Code);
        Assert.Contains("'drift.current' file 'current.csv' is empty (0 bytes), or is not a regular file (a named pipe or a device", error.Message);

        var set = Run(Manifest("captured/"), updateLock: true);
        Assert.False(set.Ok);
        Assert.Contains("'captured/' file 'capture-M-2.csv' is empty (0 bytes)", Assert.Single(_engine.Errors).Message);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, uint mode);

    [Fact]
    public void An_onnx_model_named_by_a_glob_is_refused()
    {
        _repo.Write("app/Models/m/a.onnx", "x");
        var manifest = _repo.Write("app/Models/I.mlmodel.json", """{ "name": "I", "task": "regression", "onnx": { "path": "m/*.onnx" } }""");

        var (ok, _) = Run(manifest, updateLock: true);

        Assert.False(ok);
        Assert.Contains("an ONNX model is one file", Assert.Single(_engine.Errors).Message);
    }

    private static string PinnedHash(string manifest)
    {
        var text = File.ReadAllText(manifest);
        var at = text.LastIndexOf("\"sha256\": \"", StringComparison.Ordinal) + 11;
        return text.Substring(at, 64);
    }

    /// <summary>The documented shell equivalent: <c>cd folder &amp;&amp; LC_ALL=C sha256sum pattern | sha256sum</c>.</summary>
    private static string ShellSetHash(string folder, string pattern)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"LC_ALL=C sha256sum {pattern} | sha256sum"]) { WorkingDirectory = folder, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split(' ')[0];
    }
}
