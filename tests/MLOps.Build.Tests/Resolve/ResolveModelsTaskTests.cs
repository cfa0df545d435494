using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MLOps.Build.Hashing;
using MLOps.Build.Tasks;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Resolve;

public sealed class ResolveModelsTaskTests : IDisposable
{
    private const string TrainCsv = "x,y\n1,a\n2,b\n";
    private readonly TempRepository _repo = new();
    private readonly FakeBuildEngine _engine = new();

    public void Dispose() => _repo.Dispose();

    private string Manifest(string name, string trainPath, string? sha, string extra = "", string app = "app") =>
        _repo.Write($"{app}/Models/{name}.mlmodel.json",
            "{\n" +
            $"  \"name\": \"{name}\",\n" +
            "  \"task\": \"multiclass\",\n" +
            "  \"label\": \"y\",\n" +
            "  \"data\": {\n" +
            $"    \"train\": {{ \"path\": \"{trainPath}\"{(sha is null ? "" : $", \"sha256\": \"{sha}\"")} }}\n" +
            "  },\n" +
            $"  \"trainer\": \"LightGbm\"{extra}\n" +
            "}\n");

    private (bool Ok, Tasks.ResolveModels Task) Run(bool updateLock = false, params string[] manifests) =>
        RunIn("app", updateLock, manifests);

    private (bool Ok, Tasks.ResolveModels Task) RunIn(string app, bool updateLock, params string[] manifests)
    {
        var task = new Tasks.ResolveModels
        {
            BuildEngine = _engine,
            // As MSBuild hands over what the project declares: escaped.
            Models = manifests.Select(m => (ITaskItem)LiteralTaskItems.Create(m)).ToArray(),
            ProjectDirectory = Path.Combine(_repo.Root, app),
            ProjectFile = Path.Combine(_repo.Root, app, "app.csproj"),
            ArtifactsRoot = Path.Combine(_repo.Root, app, "obj", "mlops"),
            RootNamespace = "App",
            ToolVersion = "test",
            UpdateLock = updateLock,
        };
        return (task.Execute(), task);
    }

    [Fact]
    public void A_pinned_model_resolves_with_its_artifact_paths_and_resource_name()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", FileHash.Sha256(data));

        var (ok, task) = Run(false, manifest);

        Assert.True(ok);
        Assert.Empty(_engine.Errors);
        var item = Assert.Single(task.ResolvedModels);
        Assert.Equal("Shapes", item.GetMetadata("ClassName"));
        Assert.Equal("App", item.GetMetadata("Namespace"));
        Assert.Equal("public", item.GetMetadata("Visibility"));
        Assert.Equal("MLOps.Models.Shapes.onnx", item.GetMetadata("ResourceName"));
        Assert.Equal(Path.Combine(_repo.Root, "app", "obj", "mlops", "Shapes", "model.onnx"), item.GetMetadata("OnnxPath"));
        Assert.Equal(64, item.GetMetadata("Fingerprint").Length);
    }

    [Fact]
    public void Paths_with_MSBuild_syntax_in_them_reach_the_targets_as_written()
    {
        // The targets expand %(ModelCardPath) before properties and items: unescaped, "$(x)" here would become "" in
        // Exists('%(ModelCardPath)') and the generator would never see the card (CS0246 in a fresh project).
        const string app = "app $(x) @(y) 100%41 it's *?;";
        var data = _repo.Write($"{app}/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", FileHash.Sha256(data), app: app);

        var (ok, task) = RunIn(app, false, manifest);

        Assert.True(ok, string.Join("\n", _engine.Errors));
        var item = (ITaskItem2)Assert.Single(task.ResolvedModels);
        var card = Path.Combine(_repo.Root, app, "obj", "mlops", "Shapes", "modelcard.json");
        Assert.Equal(card, item.GetMetadata("ModelCardPath"));
        Assert.Equal(manifest, item.ItemSpec);
        Assert.Equal(Path.Combine(_repo.Root, "app %24%28x%29 %40%28y%29 100%2541 it%27s %2a%3f%3b", "obj", "mlops", "Shapes", "modelcard.json"),
            item.GetMetadataValueEscaped("ModelCardPath"));
        Assert.DoesNotContain("$(", item.EvaluatedIncludeEscaped, StringComparison.Ordinal);
    }

    [Fact]
    public void A_build_whose_manifest_and_data_carry_the_same_stamps_reuses_the_last_resolution()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", FileHash.Sha256(data));
        var first = Assert.Single(Run(false, manifest).Task.ResolvedModels).GetMetadata("Fingerprint");

        var cached = Assert.Single(Run(false, manifest).Task.ResolvedModels);
        Assert.Equal(first, cached.GetMetadata("Fingerprint"));
        Assert.Equal(Path.Combine(_repo.Root, "app", "obj", "mlops", "Shapes", "model.onnx"), cached.GetMetadata("OnnxPath"));

        // Same size and timestamp, other bytes ("FastTree" for "LightGbm"): only a parse could notice, and a build
        // whose stamps are unchanged does not parse.
        var stamp = File.GetLastWriteTimeUtc(manifest);
        var edited = File.ReadAllText(manifest).Replace("\"LightGbm\"", "\"FastTree\"");
        File.WriteAllText(manifest, edited);
        File.SetLastWriteTimeUtc(manifest, stamp);
        Assert.Equal(first, Assert.Single(Run(false, manifest).Task.ResolvedModels).GetMetadata("Fingerprint"));

        // A new timestamp (or size) is a new resolution, of whatever the file now says.
        File.SetLastWriteTimeUtc(manifest, stamp.AddSeconds(5));
        Assert.NotEqual(first, Assert.Single(Run(false, manifest).Task.ResolvedModels).GetMetadata("Fingerprint"));
    }

    [Fact]
    public void The_manifests_psi_thresholds_and_gate_bounds_are_written_for_the_generated_class_and_follow_each_edit()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", FileHash.Sha256(data),
            ",\n  \"drift\": { \"method\": \"psi\", \"threshold\": 0.25, \"features\": { \"x\": { \"threshold\": 0.4 }, \"z\": \"ks\" } },\n" +
            "  \"gates\": [ { \"metric\": \"MicroAccuracy\", \"min\": 0.8 }, { \"metric\": \"LogLoss\", \"max\": 1.5, \"maxIncrease\": 0.1 }, { \"metric\": \"MacroAccuracy\", \"maxDecrease\": \"5%\" } ]");

        var item = Assert.Single(Run(false, manifest).Task.ResolvedModels);

        var path = item.GetMetadata("MonitoringPath");
        Assert.Equal(Path.Combine(_repo.Root, "app", "obj", "mlops", "Shapes", "monitoring.json"), path);
        var settings = MLOps.Build.Artifacts.ArtifactJson.Read(path, MLOps.Build.Artifacts.ArtifactJson.MonitoringSettings);
        Assert.Equal(0.25, settings.PsiWarning);
        Assert.Equal(new Dictionary<string, double> { ["x"] = 0.4 }, settings.FeaturePsiWarnings);
        // Change bounds compare two builds: only absolute bounds are checked live.
        Assert.Equal([new MLOps.Build.Artifacts.LiveGateSettings("MicroAccuracy", 0.8, null), new MLOps.Build.Artifacts.LiveGateSettings("LogLoss", null, 1.5)], settings.Gates);

        // A gate edit does not retrain (same fingerprint) but is carried; an unchanged resolution leaves the file alone.
        var fingerprint = item.GetMetadata("Fingerprint");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"min\": 0.8", "\"min\": 0.85"));
        File.SetLastWriteTimeUtc(manifest, File.GetLastWriteTimeUtc(manifest).AddSeconds(5));
        Assert.Equal(fingerprint, Assert.Single(Run(false, manifest).Task.ResolvedModels).GetMetadata("Fingerprint"));
        Assert.Equal(0.85, MLOps.Build.Artifacts.ArtifactJson.Read(path, MLOps.Build.Artifacts.ArtifactJson.MonitoringSettings).Gates[0].Min);
        var written = File.GetLastWriteTimeUtc(path);
        Run(false, manifest);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));

        // Deleted while the resolution is cached: written again.
        File.Delete(path);
        Run(false, manifest);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Without_drift_settings_or_absolute_gates_the_monitoring_settings_are_empty()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", FileHash.Sha256(data), ",\n  \"drift\": { \"threshold\": 0.3 }");

        var item = Assert.Single(Run(false, manifest).Task.ResolvedModels);

        var settings = MLOps.Build.Artifacts.ArtifactJson.Read(item.GetMetadata("MonitoringPath"), MLOps.Build.Artifacts.ArtifactJson.MonitoringSettings);
        Assert.Null(settings.PsiWarning);
        Assert.Empty(settings.FeaturePsiWarnings);
        Assert.Empty(settings.Gates);
    }

    [Fact]
    public void A_changed_data_file_is_noticed_through_the_cached_resolution()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", FileHash.Sha256(data));
        Assert.True(Run(false, manifest).Ok);

        File.AppendAllText(data, "3,c\n");

        Assert.False(Run(false, manifest).Ok);
        Assert.Equal("MLOPS1021", Assert.Single(_engine.Errors).Code);
    }

    [Fact]
    public void A_manifest_that_draws_a_warning_is_resolved_and_warned_about_on_every_build()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", FileHash.Sha256(data), ",\n  \"colour\": \"blue\"");

        Run(false, manifest);
        Run(false, manifest);

        Assert.Equal(2, _engine.Warnings.Count(w => w.Code == "MLOPS1010"));
    }

    [Fact]
    public void The_input_stamp_changes_only_with_the_fingerprint_and_current_artifacts_are_reported_up_to_date()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", FileHash.Sha256(data));
        var item = Assert.Single(Run(false, manifest).Task.ResolvedModels);
        var stamp = item.GetMetadata("InputStampPath");
        Assert.Equal(item.GetMetadata("Fingerprint") + "\n", File.ReadAllText(stamp));
        var written = File.GetLastWriteTimeUtc(stamp);
        Assert.DoesNotContain(_engine.Messages, m => m.Code == "MLOPS2011");

        // Same inputs, data touched but unchanged: the stamp is left alone.
        File.SetLastWriteTimeUtc(data, DateTime.UtcNow.AddMinutes(1));
        File.SetLastWriteTimeUtc(stamp, written.AddSeconds(-10));
        written = File.GetLastWriteTimeUtc(stamp);
        Assert.Single(Run(false, manifest).Task.ResolvedModels);
        Assert.Equal(written, File.GetLastWriteTimeUtc(stamp));

        // Complete artifacts for this fingerprint are reported up to date.
        var directory = item.GetMetadata("ArtifactsDirectory");
        foreach (var name in new[] { "model.onnx", "modelcard.json", "metrics.json" })
        {
            File.WriteAllText(Path.Combine(directory, name), "x");
        }
        File.WriteAllText(item.GetMetadata("FingerprintPath"), item.GetMetadata("Fingerprint"));
        Run(false, manifest);
        Assert.Contains(_engine.Messages, m => m.Code == "MLOPS2011");

        // A training input changes: so does the stamp.
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"LightGbm\"", "\"FastTree\""));
        var changed = Assert.Single(Run(false, manifest).Task.ResolvedModels);
        Assert.NotEqual(item.GetMetadata("Fingerprint"), changed.GetMetadata("Fingerprint"));
        Assert.Equal(changed.GetMetadata("Fingerprint") + "\n", File.ReadAllText(stamp));
    }

    [Fact]
    public void A_changed_data_file_is_MLOPS1021_at_the_pinned_hash()
    {
        _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", new string('a', 64));

        var (ok, _) = Run(false, manifest);

        Assert.False(ok);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal(("MLOPS1021", manifest, 6, 52), (error.Code, error.File, error.Line, error.Column));
        Assert.Contains("has changed", error.Message);
    }

    [Fact]
    public void An_unpinned_data_file_is_MLOPS1022_naming_the_hash()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", null);

        var (ok, _) = Run(false, manifest);

        Assert.False(ok);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal(("MLOPS1022", manifest, 6, 24), (error.Code, error.File, error.Line, error.Column));
        Assert.Contains(FileHash.Sha256(data), error.Message);
    }

    [Fact]
    public void UpdateLock_pins_the_hash_in_place_and_keeps_the_formatting()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", null);
        var before = File.ReadAllText(manifest);

        var (ok, _) = Run(true, manifest);

        Assert.True(ok);
        var expected = before.Replace("\"path\": \"data/train.csv\" }", $"\"path\": \"data/train.csv\", \"sha256\": \"{FileHash.Sha256(data)}\" }}");
        Assert.Equal(expected, File.ReadAllText(manifest));
        var message = Assert.Single(_engine.Messages, m => m.Code == "MLOPS1025");
        Assert.Equal((manifest, 6, 24), (message.File, message.Line, message.Column));

        // Pinned now: a plain build passes without touching the file.
        _engine.Logged.Clear();
        Assert.True(Run(false, manifest).Ok);
        Assert.Equal(expected, File.ReadAllText(manifest));
    }

    [Fact]
    public void UpdateLock_replaces_a_stale_hash()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", new string('b', 64));
        var before = File.ReadAllText(manifest);

        Assert.True(Run(true, manifest).Ok);

        Assert.Equal(before.Replace(new string('b', 64), FileHash.Sha256(data)), File.ReadAllText(manifest));
    }

    [Fact]
    public void A_path_outside_the_repository_is_MLOPS1023()
    {
        var manifest = Manifest("Shapes", "../../../../outside.csv", new string('a', 64));

        var (ok, _) = Run(false, manifest);

        Assert.False(ok);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal(("MLOPS1023", 6, 24), (error.Code, error.Line, error.Column));
    }

    [Fact]
    public void A_link_inside_the_repository_to_a_file_outside_is_MLOPS1023_and_nothing_of_it_is_shown()
    {
        var outside = Path.Combine(Path.GetTempPath(), "mlops-outside-" + Guid.NewGuid().ToString("N")[..8] + ".csv");
        File.WriteAllText(outside, "root:x:0:0:root:/root:/bin/bash\n");
        try
        {
            Directory.CreateDirectory(Path.Combine(_repo.Root, "app", "Models", "data"));
            File.CreateSymbolicLink(Path.Combine(_repo.Root, "app", "Models", "data", "train.csv"), outside);
            var manifest = Manifest("Shapes", "data/train.csv", new string('a', 64));

            Assert.False(Run(false, manifest).Ok);

            var error = Assert.Single(_engine.Errors);
            Assert.Equal(("MLOPS1023", 6, 24), (error.Code, error.Line, error.Column));
            Assert.Contains("through a link", error.Message);
            Assert.DoesNotContain("root:x", string.Join("\n", _engine.Logged.Select(e => e.Message)));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void A_linked_folder_that_leads_outside_is_MLOPS1023_and_one_that_stays_inside_is_followed()
    {
        var data = _repo.Write("shared-data/train.csv", TrainCsv);
        Directory.CreateDirectory(Path.Combine(_repo.Root, "app", "Models"));
        Directory.CreateSymbolicLink(Path.Combine(_repo.Root, "app", "Models", "inside"), Path.Combine(_repo.Root, "shared-data"));
        Directory.CreateSymbolicLink(Path.Combine(_repo.Root, "app", "Models", "outside"), Path.GetTempPath());

        Assert.True(Run(false, Manifest("Inside", "inside/train.csv", FileHash.Sha256(data))).Ok);
        Assert.False(Run(false, Manifest("Outside", "outside/../outside/x.csv", new string('a', 64))).Ok);
        Assert.Equal("MLOPS1023", Assert.Single(_engine.Errors).Code);
    }

    [Fact]
    public void A_link_loop_is_MLOPS1023()
    {
        Directory.CreateDirectory(Path.Combine(_repo.Root, "app", "Models", "data"));
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "app", "Models", "data", "a.csv"), "b.csv");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "app", "Models", "data", "b.csv"), "a.csv");

        Assert.False(Run(false, Manifest("Shapes", "data/a.csv", new string('a', 64))).Ok);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal("MLOPS1023", error.Code);
        Assert.Contains("cannot be followed", error.Message);
    }

    [Fact]
    public void An_artifacts_folder_that_cannot_be_written_is_MLOPS2037_not_a_crash()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var manifest = Manifest("Shapes", "data/train.csv", FileHash.Sha256(data));
        // A file where the model's folder goes: as unwritable as a read-only folder, also for root (CI runs as root).
        _repo.Write("app/obj/mlops/Shapes", "in the way");

        var (ok, _) = Run(false, manifest);

        Assert.False(ok);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal("MLOPS2037", error.Code);
        Assert.Contains("ResolveModels could not read or write a build file", error.Message);
        Assert.Contains("obj/mlops/Shapes", error.Message);
        Assert.DoesNotContain(" at MLOps.", error.Message);
    }

    [Fact]
    public void A_missing_data_file_is_MLOPS1020()
    {
        var manifest = Manifest("Shapes", "data/nope.csv", new string('a', 64));

        Assert.False(Run(false, manifest).Ok);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal(("MLOPS1020", 6, 24), (error.Code, error.Line, error.Column));
    }

    [Fact]
    public void Two_manifests_with_one_name_is_MLOPS1009_at_the_second()
    {
        var data = _repo.Write("app/Models/data/train.csv", TrainCsv);
        var first = Manifest("Shapes", "data/train.csv", FileHash.Sha256(data));
        var second = _repo.Write("app/Models/copy.mlmodel.json", File.ReadAllText(first));

        Assert.False(Run(false, first, second).Ok);
        var error = Assert.Single(_engine.Errors);
        Assert.Equal(("MLOPS1009", second, 2, 11), (error.Code, error.File, error.Line, error.Column));
    }

    [Fact]
    public void A_missing_manifest_is_MLOPS1001()
    {
        Assert.False(Run(false, Path.Combine(_repo.Root, "app", "nope.mlmodel.json")).Ok);
        Assert.Equal("MLOPS1001", Assert.Single(_engine.Errors).Code);
    }

    [Fact]
    public void Errors_carry_a_help_link()
    {
        var manifest = _repo.Write("app/bad.mlmodel.json", "{");
        var task = new Tasks.ResolveModels
        {
            BuildEngine = new HelpLinkEngine(),
            Models = [new TaskItem(manifest)],
            ProjectDirectory = Path.Combine(_repo.Root, "app"),
            ArtifactsRoot = Path.Combine(_repo.Root, "obj"),
        };
        task.Execute();
        Assert.Equal("https://github.com/mlops-build/mlops-build/blob/main/docs/diagnostics.md#mlops1002", ((HelpLinkEngine)task.BuildEngine).HelpLink);
    }

    private sealed class HelpLinkEngine : Microsoft.Build.Framework.IBuildEngine
    {
        public string? HelpLink { get; private set; }
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "";
        public bool BuildProjectFile(string p, string[] t, System.Collections.IDictionary g, System.Collections.IDictionary o) => false;
        public void LogCustomEvent(Microsoft.Build.Framework.CustomBuildEventArgs e) { }
        public void LogErrorEvent(Microsoft.Build.Framework.BuildErrorEventArgs e) => HelpLink = e.HelpLink;
        public void LogMessageEvent(Microsoft.Build.Framework.BuildMessageEventArgs e) { }
        public void LogWarningEvent(Microsoft.Build.Framework.BuildWarningEventArgs e) { }
    }
}

/// <summary>drift.current: optional pin, outside the model fingerprint, inside the drift fingerprint.</summary>
public sealed class ResolveDriftTests : IDisposable
{
    private readonly TempRepository _repo = new();
    private readonly FakeBuildEngine _engine = new();

    public void Dispose() => _repo.Dispose();

    private ITaskItem Resolve(string drift)
    {
        var train = _repo.Write("app/Models/data/train.csv", "x,y\n1,a\n2,b\n");
        var manifest = _repo.Write("app/Models/M.mlmodel.json",
            $$"""{ "name": "M", "task": "multiclass", "label": "y", "data": { "train": { "path": "data/train.csv", "sha256": "{{FileHash.Sha256(train)}}" } }, "trainer": "LightGbm", "drift": {{drift}} }""");
        var task = Task(manifest);
        Assert.True(task.Execute(), string.Join("\n", _engine.Errors));
        return Assert.Single(task.ResolvedModels);
    }

    private Tasks.ResolveModels Task(string manifest) => new()
    {
        BuildEngine = _engine,
        Models = [new TaskItem(manifest)],
        ProjectDirectory = Path.Combine(_repo.Root, "app"),
        ArtifactsRoot = Path.Combine(_repo.Root, "app", "obj", "mlops"),
        RootNamespace = "App",
        ToolVersion = "test",
    };

    [Fact]
    public void Unpinned_current_data_is_accepted_and_changes_the_drift_fingerprint_but_not_the_model_fingerprint()
    {
        _repo.Write("app/Models/data/current.csv", "x,y\n5,a\n");
        var first = Resolve("""{ "current": "data/current.csv" }""");
        var stamp = File.ReadAllText(first.GetMetadata("DriftInputStampPath"));

        _repo.Write("app/Models/data/current.csv", "x,y\n9,b\n");
        var second = Resolve("""{ "current": "data/current.csv" }""");

        Assert.Empty(_engine.Errors);
        Assert.Equal(first.GetMetadata("Fingerprint"), second.GetMetadata("Fingerprint"));
        Assert.NotEqual(first.GetMetadata("DriftFingerprint"), second.GetMetadata("DriftFingerprint"));
        Assert.NotEqual(stamp, File.ReadAllText(second.GetMetadata("DriftInputStampPath")));
        Assert.EndsWith(Path.Combine("obj", "mlops", "M", "drift.json"), second.GetMetadata("DriftReportPath"));

        var settings = Resolve("""{ "current": "data/current.csv", "method": "psi" }""");
        Assert.Equal(first.GetMetadata("Fingerprint"), settings.GetMetadata("Fingerprint"));
        Assert.NotEqual(second.GetMetadata("DriftFingerprint"), settings.GetMetadata("DriftFingerprint"));
    }

    [Fact]
    public void Without_current_data_there_is_no_drift_check()
    {
        var item = Resolve("""{ "method": "psi" }""");
        Assert.Equal("", item.GetMetadata("DriftFingerprint"));
        Assert.Equal("", item.GetMetadata("DriftReportPath"));
    }

    [Fact]
    public void A_pinned_current_file_that_changed_is_MLOPS1021()
    {
        _repo.Write("app/Models/data/current.csv", "x,y\n5,a\n");
        var train = _repo.Write("app/Models/data/train.csv", "x,y\n1,a\n2,b\n");
        var manifest = _repo.Write("app/Models/M.mlmodel.json",
            $$"""{ "name": "M", "task": "multiclass", "label": "y", "data": { "train": { "path": "data/train.csv", "sha256": "{{FileHash.Sha256(train)}}" } }, "trainer": "LightGbm", "drift": { "current": { "path": "data/current.csv", "sha256": "{{new string('a', 64)}}" } } }""");
        Assert.False(Task(manifest).Execute());
        Assert.Equal("MLOPS1021", Assert.Single(_engine.Errors).Code);
    }
}
