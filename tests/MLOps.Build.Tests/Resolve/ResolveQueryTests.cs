using MLOps.Build.Diagnostics;
using MLOps.Build.Hashing;
using MLOps.Build.Snapshots;
using MLOps.Build.Tasks.Resolve;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Resolve;

/// <summary>
/// The resolver's side of query sources: when the trainer must take snapshots (the delegate stands in for it), and
/// when a build trusts what the store holds, or (design time) the pins alone.
/// </summary>
public sealed class ResolveQueryTests : IDisposable
{
    private const string Snapshot = "pretend parquet bytes";

    private readonly TempRepository _repo = new();
    private readonly List<string> _taken = [];
    private readonly SnapshotStore _store;

    public ResolveQueryTests() => _store = new SnapshotStore(Path.Combine(_repo.Root, "store"));

    public void Dispose() => _repo.Dispose();

    private string Manifest(string train, string? sha256)
    {
        _repo.Write("app/Models/data/a.csv", "x,y\n1,a\n2,b\n");
        return _repo.Write("app/Models/M.mlmodel.json",
            "{\n  \"name\": \"M\", \"task\": \"multiclass\", \"label\": \"y\",\n" +
            $"  \"data\": {{ \"train\": {{ \"sql\": \"{train}\"{(sha256 is null ? "" : $", \"sha256\": \"{sha256}\"")} }} }},\n" +
            "  \"trainer\": \"LightGbm\"\n}\n");
    }

    private string StoreSnapshot()
    {
        Directory.CreateDirectory(_store.Directory);
        var sha256 = FileHash.Sha256(System.Text.Encoding.UTF8.GetBytes(Snapshot));
        File.WriteAllText(_store.PathOf(sha256), Snapshot);
        return sha256;
    }

    private (ResolvedModel? Model, DiagnosticBag Diagnostics) Resolve(bool designTime = false, bool takes = true, ResolveCache? cache = null)
    {
        var diagnostics = new DiagnosticBag();
        var settings = new ResolverSettings(Path.Combine(_repo.Root, "app"), Path.Combine(_repo.Root, "app", "obj", "mlops"), "App", "test", false,
            new FileHashCache(null))
        {
            Snapshots = _store,
            Cache = cache,
            TakeSnapshots = designTime ? null : (manifest, _) =>
            {
                _taken.Add(manifest);
                return takes;
            },
        };
        var model = new ModelResolver(settings, diagnostics).Resolve([new ModelRequest("Models/M.mlmodel.json", null, null, null)]).SingleOrDefault();
        return (model, diagnostics);
    }

    private void RecordSnapshot(string manifest)
    {
        var parsed = MLOps.Build.Manifest.ManifestParser.ParseFile(manifest, new DiagnosticBag(), _store)!;
        var sources = QuerySources.Hash(QuerySources.Files(parsed.Train!, parsed.DirectoryPath), parsed.DirectoryPath, FileHash.Sha256);
        SnapshotRecord.Write(_store, parsed.Train!.Query!, parsed.Train.Sha256!, sources);
    }

    [Fact]
    public void An_edited_query_with_the_old_pin_takes_its_snapshot_again()
    {
        var sha256 = StoreSnapshot();
        RecordSnapshot(Manifest("SELECT * FROM warehouse", sha256));
        Manifest("SELECT * FROM warehouse WHERE year > 2020", sha256);

        Resolve(takes: false);

        Assert.Single(_taken);
    }

    [Fact]
    public void A_pinned_snapshot_in_the_store_is_used_without_taking_one()
    {
        var sha256 = StoreSnapshot();
        RecordSnapshot(Manifest("SELECT * FROM warehouse", sha256));

        var (model, diagnostics) = Resolve();

        Assert.NotNull(model);
        Assert.DoesNotContain(diagnostics.Items, d => d.Severity == DiagnosticLevel.Error);
        Assert.Empty(_taken);
    }

    [Fact]
    public void A_missing_snapshot_is_taken_and_a_failed_snapshot_resolves_nothing()
    {
        Manifest("SELECT * FROM warehouse", new string('a', 64));

        var (model, _) = Resolve(takes: false);

        Assert.Null(model);
        Assert.Single(_taken);
    }

    [Fact]
    public void A_damaged_snapshot_is_deleted_and_taken_again()
    {
        var sha256 = StoreSnapshot();
        File.AppendAllText(_store.PathOf(sha256), "!");
        Manifest("SELECT * FROM warehouse", sha256);

        Resolve(takes: false);

        Assert.Single(_taken);
        Assert.False(File.Exists(_store.PathOf(sha256)));
    }

    [Fact]
    public void A_design_time_build_runs_no_query_and_trusts_the_pin()
    {
        var sha256 = new string('b', 64);
        Manifest("SELECT * FROM warehouse", sha256);

        var (model, diagnostics) = Resolve(designTime: true);

        Assert.NotNull(model);
        Assert.Empty(diagnostics.Items);
        Assert.Empty(_taken);
    }

    [Fact]
    public void A_changed_file_of_a_duckdb_query_takes_the_snapshot_again_also_through_the_cached_resolution()
    {
        var sha256 = StoreSnapshot();
        RecordSnapshot(Manifest("SELECT * FROM 'data/a.csv'", sha256));
        var cache = new ResolveCache(null);

        Assert.NotNull(Resolve(cache: cache).Model);
        Assert.NotNull(Resolve(cache: cache).Model);
        Assert.Empty(_taken);

        _repo.Write("app/Models/data/a.csv", "x,y\n1,a\n2,c\n");
        Resolve(cache: cache, takes: false);

        Assert.Single(_taken);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_named_pipe_a_duckdb_query_reads_is_MLOPS1032_at_the_sql_and_never_opened_or_hashed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var sha256 = StoreSnapshot();
        RecordSnapshot(Manifest("SELECT * FROM 'data/a.csv' JOIN 'data/b.csv' USING (x)", sha256));
        Assert.Equal(0, MakeFifo(Path.Combine(_repo.Root, "app", "Models", "data", "b.csv"), 0b110_100_100));

        // Hashing the pipe to see whether the snapshot is current would wait for a writer: bounded, a regression fails.
        var (model, diagnostics) = await System.Threading.Tasks.Task.Run(() => Resolve()).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Null(model);
        Assert.Empty(_taken);
        var error = Assert.Single(diagnostics.Items);
        Assert.Equal(("MLOPS1032", 3), (error.Id, error.Location.Line)); // at "sql"
        Assert.Equal("The query of 'data.train' reads 'data/b.csv', which is empty (0 bytes), or is not a regular file (a named pipe or a device, which the build never opens): there is nothing to read.", error.Message);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, uint mode);

    [Fact]
    public void Snapshots_a_killed_build_left_half_written_are_removed_after_a_day_and_fresh_ones_are_kept()
    {
        Directory.CreateDirectory(_store.Directory);
        var abandoned = _store.NewTakingPath();
        var running = _store.NewTakingPath();
        var pinned = _store.PathOf(StoreSnapshot());
        File.WriteAllText(abandoned, "half");
        File.WriteAllText(running, "half");
        var now = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(abandoned, now - TimeSpan.FromDays(2));
        File.SetLastWriteTimeUtc(pinned, now - TimeSpan.FromDays(30));

        Assert.Equal(1, _store.RemoveAbandoned(now));

        Assert.Equal((false, true, true), (File.Exists(abandoned), File.Exists(running), File.Exists(pinned)));
        Assert.StartsWith(".", Path.GetFileName(running), StringComparison.Ordinal); // hidden: no set or listing reads it
    }
}
