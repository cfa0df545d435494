using MLOps.Build.Trainer.Sweeps;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Trainer.Tests.Infrastructure;

namespace MLOps.Build.Trainer.Tests.Sweeps;

/// <summary>Whole sweeps through the trainer: the winner ships, trials are cached, budgets extend, killed sweeps resume.</summary>
public sealed class SweepTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public SweepTests()
    {
        _folder.Write("train.csv", SyntheticData.Csv(240, seed: 1));
        _folder.Write("test.csv", SyntheticData.Csv(80, seed: 2));
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Two fast trainers with small spaces, 2-fold, so that a sweep takes a second or two.</summary>
    private static string Manifest(string sweep = """{ "trials": 6, "folds": 2 }""", string trainer = "") => $$"""
        {
          "name": "Penguins",
          "task": "multiclass",
          "label": "species",
          "data": { "train": "train.csv", "test": "test.csv" },
          "exclude": ["id", "heavy", "bill depth"],{{trainer}}
          "sweep": {{sweep.Replace("{", """{ "trainers": ["LightGbm", "SdcaMaximumEntropy"], "space": { "LightGbm": { "NumberOfLeaves": { "min": 2, "max": 16 }, "NumberOfIterations": [10, 20] }, "SdcaMaximumEntropy": { "MaximumNumberOfIterations": [5, 10] } }, """).Replace(",  }", " }")}},
          "seed": 3
        }
        """;

    private (bool Ok, DiagnosticBag Diagnostics, string Output) Train(string manifest, string output = "out", string? shared = null, int parallelism = 0)
    {
        var path = _folder.Write("Penguins.mlmodel.json", manifest);
        var diagnostics = new DiagnosticBag();
        var ok = new TrainCommand(diagnostics).Run(new TrainRequest(path, _folder.PathOf(output), "fp", shared, parallelism));
        return (ok, diagnostics, _folder.PathOf(output));
    }

    private static SweepReport Report(string output) => ArtifactJson.Read(Path.Combine(output, "sweep.json"), ArtifactJson.SweepReport);

    private static ModelCard Card(string output) => ArtifactJson.Read(Path.Combine(output, "modelcard.json"), ArtifactJson.ModelCard);

    [Fact]
    public void The_winner_is_trained_and_described_and_a_rebuild_trains_no_trial()
    {
        var (ok, diagnostics, output) = Train(Manifest());

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        var report = Report(output);
        Assert.Equal((6, 6, 0, 6), (report.Counts.Configurations, report.Counts.Evaluations, report.Counts.Cached, report.Counts.Trained));
        Assert.Equal(6, report.Trials.Count);
        Assert.All(report.Trials, t => Assert.Equal(2, t.Folds.Count));
        var best = report.Best!;
        Assert.Equal(report.Trials.Max(t => t.Mean["MacroAccuracy"]), best.Mean["MacroAccuracy"]);
        var card = Card(output);
        Assert.Equal(best.Trainer, card.Trainer!.Name);
        Assert.Equal(best.Options.Keys, card.Trainer.Options.Keys);
        Assert.Equal(new SweepBestCard(best.Trainer, card.Sweep!.Best.Options, best.Mean["MacroAccuracy"], best.StandardDeviation["MacroAccuracy"]), card.Sweep.Best);
        Assert.Equal(("random", "MacroAccuracy", 2, 6), (card.Sweep.Strategy, card.Sweep.Metric, card.Sweep.Folds, card.Sweep.Configurations));
        var summary = Assert.Single(diagnostics.Items, d => d.Id == "MLOPS2020");
        Assert.StartsWith("Penguins: sweep of 6 trials (0 cached, 6 trained) in ", summary.Message);
        Assert.Contains($"best {best.Trainer} {{", summary.Message);

        var again = Train(Manifest());

        Assert.Equal((6, 0), (Report(again.Output).Counts.Cached, Report(again.Output).Counts.Trained));
        Assert.Equal(File.ReadAllBytes(Path.Combine(output, "model.onnx")), File.ReadAllBytes(Path.Combine(again.Output, "model.onnx")));
    }

    [Fact]
    public void Raising_the_budget_trains_only_the_new_trials_and_a_killed_sweep_resumes_with_the_finished_ones()
    {
        Assert.True(Train(Manifest("""{ "trials": 4, "folds": 2 }""")).Ok);

        var raised = Train(Manifest("""{ "trials": 8, "folds": 2 }"""));
        Assert.Equal((4, 4), (Report(raised.Output).Counts.Cached, Report(raised.Output).Counts.Trained));

        // As if the build had been killed after five trials: three finished trials are gone, and so is the model.
        var trials = Directory.GetFiles(Path.Combine(raised.Output, "trials"), "trial.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(8, trials.Length);
        foreach (var trial in trials.Take(3))
        {
            Directory.Delete(Path.GetDirectoryName(trial)!, recursive: true);
        }
        File.Delete(Path.Combine(raised.Output, "fingerprint.txt"));
        var resumed = Train(Manifest("""{ "trials": 8, "folds": 2 }"""));
        Assert.True(resumed.Ok);
        Assert.Equal((5, 3), (Report(resumed.Output).Counts.Cached, Report(resumed.Output).Counts.Trained));
    }

    [Fact]
    public void One_thread_two_threads_or_worker_processes_the_same_sweep_gives_the_same_trials_winner_and_bytes()
    {
        var one = Train(Manifest(), "one", parallelism: 1);
        var two = Train(Manifest(), "two", parallelism: 2);
        // Two trials in this process and two in worker processes of their own.
        var four = Train(Manifest(), "four", parallelism: 4);

        Assert.True(one.Ok && two.Ok && four.Ok, string.Join("\n", four.Diagnostics.Items));
        foreach (var other in new[] { two.Output, four.Output })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(one.Output, "model.onnx")), File.ReadAllBytes(Path.Combine(other, "model.onnx")));
            Assert.Equal(File.ReadAllBytes(Path.Combine(one.Output, "modelcard.json")), File.ReadAllBytes(Path.Combine(other, "modelcard.json")));
            Assert.Equal(Report(one.Output).Trials.Select(t => (t.Index, t.Fingerprint, string.Join(",", t.Mean))),
                Report(other).Trials.Select(t => (t.Index, t.Fingerprint, string.Join(",", t.Mean))));
        }
    }

    [Fact]
    public void A_tpe_sweep_starts_like_random_search_then_proposes_the_same_trials_at_any_parallelism()
    {
        var tpe = Manifest("""{ "trials": 13, "folds": 2, "strategy": "tpe" }""");
        var one = Train(tpe, "one", parallelism: 1);
        var four = Train(tpe, "four", parallelism: 4);
        var random = Train(Manifest("""{ "trials": 13, "folds": 2 }"""), "random", parallelism: 2);

        Assert.True(one.Ok && four.Ok && random.Ok, string.Join("\n", four.Diagnostics.Items));
        var trials = Report(one.Output).Trials.OrderBy(t => t.Index).Select(t => t.Fingerprint).ToArray();
        Assert.Equal(13, trials.Length);
        Assert.Equal("tpe", Report(one.Output).Strategy);
        Assert.Equal(trials, Report(four.Output).Trials.OrderBy(t => t.Index).Select(t => t.Fingerprint));
        Assert.Equal(File.ReadAllBytes(Path.Combine(one.Output, "model.onnx")), File.ReadAllBytes(Path.Combine(four.Output, "model.onnx")));
        // The first ten are random search's own; the rest are proposed from them.
        var randomTrials = Report(random.Output).Trials.OrderBy(t => t.Index).Select(t => t.Fingerprint).ToArray();
        Assert.Equal(randomTrials.Take(TpeSampler.StartupTrials), trials.Take(TpeSampler.StartupTrials));
        Assert.Empty(trials.Skip(TpeSampler.StartupTrials).Intersect(trials.Take(TpeSampler.StartupTrials)));
    }

    [Fact]
    public void A_tpe_halving_sweep_stops_each_batchs_worst_early_and_ranks_the_rest_on_all_of_their_iterations()
    {
        var manifest = Manifest("""{ "trials": 18, "folds": 2, "strategy": "tpe-halving" }""");
        var one = Train(manifest, "one", parallelism: 1);
        var three = Train(manifest, "three", parallelism: 3);

        Assert.True(one.Ok && three.Ok, string.Join("\n", one.Diagnostics.Items.Concat(three.Diagnostics.Items)));
        var report = Report(one.Output);
        Assert.Equal("tpe-halving", report.Strategy);
        // The random start (10) and one batch (up to 8: this space has 15 LightGbm configurations and one Sdca one),
        // each two rounds: 10 → 4 and 8 → 3 (7 → 3) go on with all of their iterations.
        var batch = report.Counts.Configurations - TpeSampler.StartupTrials;
        Assert.InRange(batch, 6, 8);
        var survivors = HalvingSchedule.Survivors(batch);
        Assert.Equal((10 + batch + 4 + survivors, 6 + batch - survivors), (report.Counts.Evaluations, report.Counts.Pruned));
        double Iterations(TrialRecord t) => ((System.Text.Json.JsonElement)t.Options[t.Trainer == "LightGbm" ? "NumberOfIterations" : "MaximumNumberOfIterations"]!).GetDouble();
        Assert.All(report.Trials.Where(t => t.Rung == 0), t => Assert.Equal(t.Trainer == "LightGbm" ? 10 : 5, Iterations(t)));
        Assert.All(report.Trials.Where(t => t.Rung == 1), t => Assert.Equal(t.Trainer == "LightGbm" ? 20 : 10, Iterations(t)));
        foreach (var bracket in new[] { report.Trials.Where(t => t.Rung == 0 && t.Index < 10), report.Trials.Where(t => t.Rung == 0 && t.Index >= 10) })
        {
            var promoted = bracket.Where(t => t.Status == TrialRecord.Promoted).Select(t => t.Mean["MacroAccuracy"]).ToArray();
            var pruned = bracket.Where(t => t.Status == TrialRecord.Pruned).Select(t => t.Mean["MacroAccuracy"]).ToArray();
            Assert.True(promoted.Min() >= pruned.Max(), $"promoted {string.Join(", ", promoted)}; pruned {string.Join(", ", pruned)}");
        }
        Assert.Equal(1, report.Best!.Rung);
        Assert.Contains($"sweep of {10 + batch} trials in {10 + batch + 4 + survivors} evaluations", Assert.Single(one.Diagnostics.Items, d => d.Id == "MLOPS2020").Message);
        // Proposals depend on the finished batches only: the same trials and model at any parallelism.
        Assert.Equal(report.Trials.Select(t => t.Fingerprint).Order(), Report(three.Output).Trials.Select(t => t.Fingerprint).Order());
        Assert.Equal(File.ReadAllBytes(Path.Combine(one.Output, "model.onnx")), File.ReadAllBytes(Path.Combine(three.Output, "model.onnx")));
    }

    [Fact]
    public void A_sweep_searches_over_leaving_listed_columns_out_and_ships_the_winner_without_its_dropped_columns()
    {
        var manifest = Manifest("""{ "trials": 12, "folds": 2, "dropColumns": ["has tag", "flipper length"] }""");
        var one = Train(manifest, "one", parallelism: 1);
        var two = Train(manifest, "two", parallelism: 3);

        Assert.True(one.Ok && two.Ok, string.Join("\n", one.Diagnostics.Items.Concat(two.Diagnostics.Items)));
        var report = Report(one.Output);
        bool Drops(TrialRecord t, string column) => ((System.Text.Json.JsonElement)t.Options[ColumnDropping.OptionPrefix + column]!).GetBoolean();
        var configurations = report.Trials.Where(t => t.Status != TrialRecord.Failed).ToArray();
        // Each column is a yes-or-no choice of every configuration, searched like an option.
        Assert.Contains(configurations, t => Drops(t, "has tag"));
        Assert.Contains(configurations, t => !Drops(t, "has tag"));
        Assert.Contains(configurations, t => Drops(t, "flipper length"));
        var dropped = new[] { "has tag", "flipper length" }.Where(c => Drops(report.Best!, c)).ToArray();
        // The winner's model has exactly the columns it kept as inputs, and the sweep's line says what it left out.
        var inputs = Card(one.Output).Inputs.Select(i => i.Column).ToArray();
        Assert.Equal(new[] { "Body Mass (g)", "flipper length", "island", "has tag" }.Except(dropped).Order(), inputs.Order());
        var line = Assert.Single(one.Diagnostics.Items, d => d.Id == "MLOPS2020").Message;
        Assert.Equal(dropped.Length > 0, line.Contains(" without '", StringComparison.Ordinal));
        Assert.DoesNotContain("drop:", line, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(one.Output, "model.onnx")), File.ReadAllBytes(Path.Combine(two.Output, "model.onnx")));
    }

    [Fact]
    public void A_grid_over_one_dropped_column_tries_the_model_with_and_without_it_as_two_trials()
    {
        var manifest = Manifest("""{ "folds": 2, "strategy": "grid", "dropColumns": ["flipper length"] }""");
        var (ok, diagnostics, output) = Train(manifest);

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        var trials = Report(output).Trials;
        // Each configuration of the grid twice: with the column and without it, as different trials whose
        // cross-validation differs (the column is one the model uses).
        bool Drops(TrialRecord t) => ((System.Text.Json.JsonElement)t.Options["drop:flipper length"]!).GetBoolean();
        string Others(TrialRecord t) => t.Trainer + string.Join(";", t.Options.Where(o => o.Key != "drop:flipper length").OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"));
        var pairs = trials.GroupBy(Others).ToArray();
        Assert.True(pairs.Length >= 4);
        Assert.All(pairs, pair =>
        {
            Assert.Equal([false, true], pair.Select(Drops).Order());
            Assert.NotEqual(pair.First().Mean["LogLoss"], pair.Last().Mean["LogLoss"]);
        });
        Assert.Equal(trials.Count, trials.Select(t => t.Fingerprint).Distinct().Count());
    }

    [Theory]
    [InlineData("heavy", "'exclude' leaves it out of every configuration already")]
    [InlineData("species", "it is the label")]
    [InlineData("flipper lenght", "Did you mean 'flipper length'?")]
    public void A_dropped_column_that_is_not_a_feature_is_MLOPS1050_at_its_name(string column, string why)
    {
        var (ok, diagnostics, _) = Train(Manifest($$"""{ "trials": 2, "folds": 2, "dropColumns": ["{{column}}"] }"""));

        Assert.False(ok);
        var error = Assert.Single(diagnostics.Items, d => d.Severity == DiagnosticLevel.Error);
        Assert.Equal("MLOPS1050", error.Id);
        Assert.Contains(why, error.Message);
        Assert.Equal(7, error.Location.Line);
    }

    [Fact]
    public void A_sweep_with_a_run_history_tries_the_earlier_winner_first_and_says_so()
    {
        var history = _folder.PathOf("runs/Penguins.jsonl");
        RunHistory.Append(history, WarmStartTests.Run("LightGbm", new() { ["NumberOfLeaves"] = 5.0, ["NumberOfIterations"] = 20.0 }, 0.95));
        var path = _folder.Write("Penguins.mlmodel.json", Manifest());
        var diagnostics = new DiagnosticBag();

        Assert.True(new TrainCommand(diagnostics).Run(new TrainRequest(path, _folder.PathOf("warm"), "fp", null, 2) { RunHistoryPath = history }), string.Join("\n", diagnostics.Items));

        var report = Report(_folder.PathOf("warm"));
        Assert.Equal(1, report.Counts.WarmStarted);
        var first = report.Trials.Single(t => t.Index == 0);
        Assert.Equal(("LightGbm", "5", "20"), (first.Trainer, first.Options["NumberOfLeaves"]?.ToString(), first.Options["NumberOfIterations"]?.ToString()));
        Assert.Contains("; 1 warm-started from earlier winners)", diagnostics.Items.Single(d => d.Id == "MLOPS2020").Message);
    }

    [Fact]
    public void Another_clone_reuses_every_trial_from_the_shared_cache()
    {
        var shared = _folder.PathOf("cache/trials");
        Assert.True(Train(Manifest(), "clone-a", shared).Ok);

        var b = Train(Manifest(), "clone-b", shared);

        Assert.Equal((6, 0), (Report(b.Output).Counts.Cached, Report(b.Output).Counts.Trained));
    }

    [Fact]
    public void A_cached_trial_without_the_sweep_metrics_score_is_trained_again()
    {
        var shared = _folder.PathOf("cache/trials");
        Assert.True(Train(Manifest(), "clone-a", shared).Ok);
        // One entry replaced, whole and with its hash in order, by a record that scores other metrics only.
        var file = Directory.GetFiles(shared, "trial.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var record = ArtifactJson.Deserialize(File.ReadAllBytes(file), ArtifactJson.TrialRecord)!;
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        var partial = record with { Mean = record.Mean.Where(m => m.Key != "MacroAccuracy").ToDictionary(), Cached = false };
        Assert.Equal(Caching.StoreResult.Done, new Caching.FolderEntryStore(shared).TryPut(record.Fingerprint,
            new Dictionary<string, byte[]> { ["trial.json"] = System.Text.Encoding.UTF8.GetBytes(ArtifactJson.Line(partial, ArtifactJson.TrialRecord)) }, out _));

        var b = Train(Manifest(), "clone-b", shared);

        Assert.True(b.Ok, string.Join("\n", b.Diagnostics.Items));
        Assert.Equal((5, 1), (Report(b.Output).Counts.Cached, Report(b.Output).Counts.Trained));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_folder.PathOf("clone-a"), "model.onnx")), File.ReadAllBytes(Path.Combine(b.Output, "model.onnx")));
    }

    [Fact]
    public void A_hand_set_trainer_is_trial_zero_so_the_winner_is_never_worse_by_the_sweep_metric()
    {
        var (ok, _, output) = Train(Manifest(trainer: """ "trainer": { "name": "LightGbm", "options": { "NumberOfLeaves": 8, "NumberOfIterations": 20 } },"""));

        Assert.True(ok);
        var report = Report(output);
        var handSet = Assert.Single(report.Trials, t => t.Index == 0);
        Assert.Equal(new Dictionary<string, object?> { ["NumberOfIterations"] = 20.0, ["NumberOfLeaves"] = 8.0 }, handSet.Options.ToDictionary(o => o.Key, o => (object?)((System.Text.Json.JsonElement)o.Value!).GetDouble()));
        Assert.True(report.Best!.Mean["MacroAccuracy"] >= handSet.Mean["MacroAccuracy"]);
    }

    [Fact]
    public void Halving_evaluates_a_third_of_each_round_again_with_three_times_the_iterations()
    {
        var (ok, diagnostics, output) = Train(Manifest("""{ "trials": 9, "folds": 2, "strategy": "halving" }"""));

        Assert.True(ok, string.Join("\n", diagnostics.Items));
        var report = Report(output);
        Assert.Equal((9, 9 + 3 + 1, 8), (report.Counts.Configurations, report.Counts.Evaluations, report.Counts.Pruned));
        Assert.Equal([9, 3, 1], Enumerable.Range(0, 3).Select(r => report.Trials.Count(t => t.Rung == r)));
        Assert.Equal(TrialRecord.Ok, report.Best!.Status);
        Assert.Equal(2, report.Best.Rung);
        Assert.Contains("sweep of 9 trials in 13 evaluations", Assert.Single(diagnostics.Items, d => d.Id == "MLOPS2020").Message);
    }

    [Fact]
    public void A_failed_trial_is_skipped_and_a_sweep_where_every_trial_fails_is_MLOPS2022()
    {
        var failing = """{ "trials": 2, "folds": 2, "trainers": ["LightGbm"], "space": { "LightGbm": { "NumberOfLeaves": [0, 1], "NumberOfIterations": [5] } } }""";
        var path = _folder.Write("Penguins.mlmodel.json", Manifest().Replace(Manifest().Split("\"sweep\": ")[1].Split(",\n")[0], failing));
        var diagnostics = new DiagnosticBag();

        Assert.False(new TrainCommand(diagnostics).Run(new TrainRequest(path, _folder.PathOf("failing"), "fp")));

        Assert.Equal(2, diagnostics.Items.Count(d => d.Id == "MLOPS2021"));
        var error = Assert.Single(diagnostics.Items, d => d.Severity == DiagnosticLevel.Error);
        Assert.Equal(("MLOPS2022", 7), (error.Id, error.Location.Line));
        Assert.Contains("num_leaves", error.Message);
        Assert.False(File.Exists(_folder.PathOf("failing/model.onnx")));
    }

    [Theory]
    [InlineData("""{ "trials": 2, "trainers": ["LightGbm"], "space": { "LightGbm": { "NumberOfLeafs": [4] } } }""", "MLOPS1051", "Did you mean 'NumberOfLeaves'?")]
    [InlineData("""{ "trials": 2, "trainers": ["LightGbm"], "space": { "LightGbm": { "UseSoftmax": { "min": 0, "max": 1 } } } }""", "MLOPS1050", "list its values instead of a range")]
    [InlineData("""{ "trials": 2, "trainers": ["LightGbm"], "space": { "LightGbm": { "NumberOfLeaves": ["many"] } } }""", "MLOPS1050", "must be a whole number")]
    [InlineData("""{ "trials": 2, "strategy": "halving", "trainers": ["LightGbm"], "space": { "LightGbm": { "NumberOfIterations": 50 } } }""", "MLOPS1050", "give it a range or a list")]
    public void Search_space_options_are_checked_against_the_trainer_at_their_line(string sweep, string code, string message)
    {
        var path = _folder.Write("Penguins.mlmodel.json", Manifest().Replace(Manifest().Split("\"sweep\": ")[1].Split(",\n")[0], sweep));
        var diagnostics = new DiagnosticBag();

        Assert.False(new TrainCommand(diagnostics).Run(new TrainRequest(path, _folder.PathOf("bad"), "fp")));

        var d = Assert.Single(diagnostics.Items);
        Assert.Equal((code, 7), (d.Id, d.Location.Line));
        Assert.Contains(message, d.Message);
    }
}
