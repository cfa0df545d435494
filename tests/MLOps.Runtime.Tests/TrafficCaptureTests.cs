using MLOps.Runtime.Hosting;
using MLOps.Runtime.Monitoring;
using MLOps.Runtime.Tests.Models;
using Parquet;

namespace MLOps.Runtime.Tests;

/// <summary>Traffic capture: sampled rows in complete Parquet files, never in the way of scoring.</summary>
[Collection(MeterListeners.Name)]
public sealed class TrafficCaptureTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mlops-capture-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private WeatherModel Load(double rate = 1, int rowsPerFile = 100_000, int queue = 10_000, string? directory = null) =>
        WeatherModel.Load(new ModelSessionOptions
        {
            TrackOutcomes = true,
            CaptureDirectory = directory ?? _directory,
            CaptureFormat = ParquetCaptureFormat.Instance,
            CaptureSampleRate = rate,
            CaptureRowsPerFile = rowsPerFile,
            CaptureQueueCapacity = queue,
            CaptureFileInterval = TimeSpan.FromHours(1),
        });

    private static WeatherModel.Input Row(int n) => new() { Precipitation = n % 3 == 0 ? float.NaN : n % 7, TempMax = 5 + n % 25, TempMin = n % 9, Wind = 1 + n % 4 };

    [Fact]
    public async Task Every_sampled_row_is_written_with_its_inputs_outputs_and_key_under_the_graphs_names()
    {
        var outputs = new List<WeatherModel.Output>();
        using (var model = Load(rowsPerFile: 40))
        {
            for (var n = 0; n < 100; n++)
            {
                outputs.Add(n % 2 == 0 ? model.Predict(Row(n)) : model.Predict(Row(n), $"order-{n}"));
            }
        }

        var files = Directory.GetFiles(_directory).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, files.Length);
        Assert.All(files, f => Assert.Matches(@"capture-WeatherModel-\d{8}T\d{6}Z-\d{6}\.parquet$", f));
        var rows = new List<Dictionary<string, object?>>();
        foreach (var file in files)
        {
            rows.AddRange(await ReadAsync(file));
        }
        Assert.Equal(100, rows.Count);
        Assert.Equal(["mlops_time", "mlops_key", "precipitation", "temp_max", "temp_min", "wind", "mlops_PredictedLabel", "mlops_Score_0", "mlops_Score_1", "mlops_Score_2", "mlops_Score_3", "mlops_Score_4"],
            rows[0].Keys);
        for (var n = 0; n < 100; n++)
        {
            var input = Row(n);
            Assert.Equal(n % 2 == 0 ? null : $"order-{n}", rows[n]["mlops_key"]);
            Assert.Equal(float.IsNaN(input.Precipitation) ? null : input.Precipitation, rows[n]["precipitation"]);
            Assert.Equal(input.TempMax, rows[n]["temp_max"]);
            Assert.Equal(outputs[n].PredictedLabel, rows[n]["mlops_PredictedLabel"]);
            Assert.Equal(outputs[n].Scores[4], rows[n]["mlops_Score_4"]);
            Assert.InRange((DateTime)rows[n]["mlops_time"]!, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow);
        }
    }

    [Fact]
    public async Task Hostile_keys_are_written_exactly()
    {
        string[] keys = ["order\n1", "a\u2028b\u2029c", "\"quoted\",comma", "\u202Eevil", "日本語\U0001F600", new string('k', 1_000_000)];
        using (var model = Load())
        {
            foreach (var key in keys)
            {
                model.Predict(Row(1), key);
            }
        }

        var rows = await ReadAsync(Assert.Single(Directory.GetFiles(_directory)));
        Assert.Equal(keys, rows.Select(r => (string)r["mlops_key"]!));
    }

    [Fact]
    public async Task Outcomes_of_captured_keys_are_written_to_the_outcomes_folder_and_a_restarted_service_samples_a_key_as_before()
    {
        var captured = new HashSet<string>();
        using (var model = Load(rate: 0.5))
        {
            for (var n = 0; n < 200; n++)
            {
                model.Predict(Row(n), $"order-{n}");
            }
            for (var n = 0; n < 200; n += 2)
            {
                Assert.True(model.RecordOutcome($"order-{n}", n % 4 == 0 ? "rain" : "sun"));
            }
            Assert.Throws<ArgumentException>(() => model.RecordOutcome("order-1", "hail")); // not a class: neither tracked nor captured
            Assert.Equal(Path.Combine(_directory, "outcomes"), model.Capture!.OutcomesDirectory);
        }
        foreach (var file in Directory.GetFiles(_directory))
        {
            captured.UnionWith((await ReadAsync(file)).Select(r => (string)r["mlops_key"]!));
        }
        var outcomes = (await ReadAsync(Assert.Single(Directory.GetFiles(Path.Combine(_directory, "outcomes"))))).ToArray();

        Assert.Equal(["mlops_time", "mlops_key", "mlops_outcome"], outcomes[0].Keys);
        // Exactly the outcomes of the captured keys, so that every captured outcome has its row.
        Assert.Equal(captured.Where(k => int.Parse(k[6..]) % 2 == 0).Order(), outcomes.Select(o => (string)o["mlops_key"]!).Order());
        Assert.All(outcomes, o => Assert.Equal(int.Parse(((string)o["mlops_key"]!)[6..]) % 4 == 0 ? "rain" : "sun", o["mlops_outcome"]));
        Assert.Matches(@"outcomes-WeatherModel-\d{8}T\d{6}Z-\d{6}\.parquet$", Directory.GetFiles(Path.Combine(_directory, "outcomes"))[0]);

        // The key's hash is not string.GetHashCode (randomized per process): FNV-1a and MurmurHash3's finalizer,
        // computed apart (in Python) for these keys at a rate of 0.5, give the same keys in every process.
        Assert.Equal(93, captured.Count);
        Assert.Equal([0, 2, 5, 6, 7, 11, 17, 19, 25, 26, 27, 28], captured.Select(k => int.Parse(k[6..])).Order().Take(12));
    }

    [Fact]
    public void A_file_is_visible_only_when_complete()
    {
        using var model = Load();
        for (var n = 0; n < 50; n++)
        {
            model.Predict(Row(n));
        }
        var capture = model.Capture!;
        SpinWait.SpinUntil(() => capture.Sampled == 50, TimeSpan.FromSeconds(10));

        Assert.Empty(Directory.Exists(_directory) ? Directory.GetFiles(_directory) : []);
        model.Dispose();
        var file = Assert.Single(Directory.GetFiles(_directory));
        Assert.EndsWith(".parquet", file);
        Assert.Equal(50, capture.Written);
    }

    [Fact]
    public void A_keyed_prediction_is_sampled_by_its_key_the_same_way_every_time()
    {
        using (var model = Load(rate: 0.3))
        {
            for (var n = 0; n < 1000; n++)
            {
                model.Predict(Row(n), $"k{n % 500}");
            }
            Assert.InRange(model.Capture!.Sampled, 200, 400);
        }
        var keys = Directory.GetFiles(_directory).SelectMany(f => ReadAsync(f).GetAwaiter().GetResult()).Select(r => (string)r["mlops_key"]!).ToArray();
        Assert.All(keys.GroupBy(k => k), g => Assert.Equal(2, g.Count()));
    }

    [Fact]
    public void A_folder_that_cannot_be_written_is_counted_and_scoring_goes_on()
    {
        var blocked = Path.Combine(_directory, "blocked");
        Directory.CreateDirectory(_directory);
        File.WriteAllText(blocked, "a file where the folder should be");
        var model = Load(rowsPerFile: 10, directory: blocked);
        for (var n = 0; n < 35; n++)
        {
            model.Predict(Row(n));
        }
        var capture = model.Capture!;
        model.Dispose();

        Assert.Equal(4, capture.Failures);
        Assert.Equal(35, capture.Dropped);
        Assert.Equal(0, capture.Written);
        Assert.Contains($"Cannot write captured file '{blocked}", capture.LastError);
        Assert.Equal(["blocked"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_burst_beyond_the_queue_is_dropped_and_counted_never_waited_for()
    {
        TrafficCapture capture;
        // A file per row keeps the writer slower than scoring.
        using (var model = Load(rowsPerFile: 1, queue: 1))
        {
            capture = model.Capture!;
            Parallel.For(0, 5_000, n => model.Predict(Row(n)));
        }

        Assert.Equal(5_000, capture.Sampled);
        Assert.True(capture.Dropped > 0, "nothing dropped");
        Assert.Equal(capture.Sampled, capture.Written + capture.Dropped);
        Assert.Equal(capture.Written, Directory.GetFiles(_directory).Sum(f => ReadAsync(f).GetAwaiter().GetResult().Count));
    }

    [Fact]
    public void Under_a_burst_while_the_writer_is_stuck_memory_holds_at_most_the_queue_and_one_files_rows()
    {
        var stuck = new StuckFormat();
        TrafficCapture capture;
        var model = WeatherModel.Load(new ModelSessionOptions
        {
            CaptureDirectory = _directory, CaptureFormat = stuck, CaptureSampleRate = 1, CaptureRowsPerFile = 100, CaptureQueueCapacity = 50,
            CaptureFileInterval = TimeSpan.FromHours(1),
        });
        capture = model.Capture!;
        for (var n = 0; n < 10_000; n++)
        {
            model.Predict(Row(n));
        }

        Assert.Equal(10_000, capture.Sampled);
        Assert.InRange(capture.Sampled - capture.Dropped, 1, 150);
        stuck.Release();
        model.Dispose();
        Assert.Equal(capture.Sampled, capture.Written + capture.Dropped);
        Assert.Equal(capture.Written, stuck.Rows);
    }

    private static TicketsModel.Input Ticket(int n, int characters) => new()
    {
        TicketText = new string((char)('a' + n % 26), characters), Opened = new DateTime(2026, 1, 1).AddHours(n), Load = n % 100, Channel = "email",
    };

    private TicketsModel LoadTickets(CaptureFormat format, long memoryLimit) => TicketsModel.Load(new ModelSessionOptions
    {
        CaptureDirectory = _directory, CaptureFormat = format, CaptureSampleRate = 1, CaptureFileInterval = TimeSpan.FromHours(1),
        CaptureMemoryLimit = memoryLimit,
    });

    [Fact]
    public async Task A_row_larger_than_the_memory_limit_is_dropped_and_counted_and_the_others_are_captured()
    {
        TrafficCapture capture;
        using (var model = LoadTickets(ParquetCaptureFormat.Instance, memoryLimit: 1 << 20))
        {
            capture = model.Capture!;
            for (var n = 0; n < 10; n++)
            {
                model.Predict(Ticket(n, 200));
            }
            model.Predict(Ticket(10, 1_000_000)); // two megabytes of text
        }

        Assert.Equal((11, 1, 10), (capture.Sampled, capture.Dropped, capture.Written));
        var texts = (await ReadAsync(Assert.Single(Directory.GetFiles(_directory)))).Select(r => (string)r["Ticket Text"]!).ToArray();
        Assert.Equal(10, texts.Length);
        Assert.All(texts, t => Assert.Equal(200, t.Length));
    }

    [Fact]
    public void Memory_is_given_back_as_files_are_written_so_capture_goes_on_past_the_limit()
    {
        using var model = TicketsModel.Load(new ModelSessionOptions
        {
            CaptureDirectory = _directory, CaptureFormat = ParquetCaptureFormat.Instance, CaptureSampleRate = 1,
            CaptureFileInterval = TimeSpan.FromMilliseconds(20), CaptureMemoryLimit = 1 << 20,
        });
        var capture = model.Capture!;
        // 30 rows of 80 KB: 2.4 MB through a 1 MiB limit, each row written before the next is scored.
        for (var n = 0; n < 30; n++)
        {
            model.Predict(Ticket(n, 40_000));
            Assert.True(SpinWait.SpinUntil(() => capture.Written + capture.Dropped > n, TimeSpan.FromSeconds(30)), $"row {n} was not written");
        }

        Assert.Equal((30L, 0L), (capture.Written, capture.Dropped));
    }

    [Fact]
    public void Under_a_burst_of_huge_cells_while_the_writer_is_stuck_memory_holds_at_most_the_limit()
    {
        var stuck = new StuckFormat();
        const int Characters = 100_000; // 200 KB a row
        TrafficCapture capture;
        var model = LoadTickets(stuck, memoryLimit: 4 << 20);
        capture = model.Capture!;
        for (var n = 0; n < 200; n++)
        {
            model.Predict(Ticket(n, Characters));
        }

        // Counted in rows only, the queue (10,000) took all 200: 40 MB.
        Assert.Equal(200, capture.Sampled);
        Assert.InRange(capture.Sampled - capture.Dropped, 1, (4 << 20) / (2 * Characters));
        stuck.Release();
        model.Dispose();
        Assert.Equal(capture.Sampled, capture.Written + capture.Dropped);
        Assert.Equal(capture.Written, stuck.Rows);
    }

    /// <summary>Parquet, after the test lets the first file through.</summary>
    private sealed class StuckFormat : CaptureFormat
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Rows { get; private set; }

        public override string Extension => ".parquet";

        public void Release() => _gate.SetResult();

        public override async Task WriteAsync(Stream stream, IReadOnlyList<CaptureColumn> columns, IReadOnlyList<CapturedRow> rows)
        {
            await _gate.Task;
            Rows += rows.Count;
            await ParquetCaptureFormat.Instance.WriteAsync(stream, columns, rows);
        }
    }

    [Fact]
    public void Capture_is_off_without_a_folder_or_a_rate_and_a_rate_outside_0_to_1_is_refused()
    {
        using var plain = WeatherModel.Load(new ModelSessionOptions { CaptureDirectory = _directory });
        Assert.Null(plain.Capture);

        foreach (var rate in new[] { 1.5, -0.5, double.NaN })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => WeatherModel.Load(new ModelSessionOptions { CaptureDirectory = _directory, CaptureSampleRate = rate, CaptureFormat = ParquetCaptureFormat.Instance }));
            Assert.Contains("CaptureSampleRate must be from 0 (off) to 1 (it is ", error.Message);
        }
        var sizes = new ModelSessionOptions { CaptureDirectory = _directory, CaptureSampleRate = 0.5, CaptureRowsPerFile = 0, CaptureQueueCapacity = -1, CaptureMemoryLimit = 0, CaptureFileInterval = TimeSpan.Zero };
        Assert.Equal(["CaptureRowsPerFile", "CaptureQueueCapacity", "CaptureMemoryLimit", "CaptureFileInterval"], sizes.Problems().Select(p => p.Split(' ')[0]));
        sizes.CaptureSampleRate = 0;   // capture off: its sizes are not used, so not checked
        Assert.Empty(sizes.Problems());
        var noFormat = Assert.Throws<ArgumentException>(() => WeatherModel.Load(new ModelSessionOptions { CaptureDirectory = _directory, CaptureSampleRate = 0.5 }));
        Assert.Contains("Capture needs a CaptureFormat", noFormat.Message);
    }

    private static async Task<List<Dictionary<string, object?>>> ReadAsync(string path)
    {
        using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        using var group = reader.OpenRowGroupReader(0);
        var rows = (int)group.RowCount;
        var columns = new List<object?[]>();
        foreach (var field in fields)
        {
            columns.Add(field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>) ? await Strings(group, field, rows)
                : field.ClrType == typeof(float) ? await Structs<float>(group, field, rows)
                : field.ClrType == typeof(DateTime) ? await Structs<DateTime>(group, field, rows)
                : throw new NotSupportedException(field.ClrType.Name));
        }
        return Enumerable.Range(0, rows)
            .Select(r => fields.Select((f, c) => (f.Name, Value: columns[c][r])).ToDictionary(x => x.Name, x => x.Value))
            .ToList();
    }

    private static async Task<object?[]> Strings(ParquetRowGroupReader group, Parquet.Schema.DataField field, int rows)
    {
        var values = new string?[rows];
        await group.ReadAsync(field, values.AsMemory(), null);
        return values;
    }

    private static async Task<object?[]> Structs<T>(ParquetRowGroupReader group, Parquet.Schema.DataField field, int rows)
        where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[rows];
            await group.ReadAsync(field, nullable.AsMemory(), null);
            return nullable.Select(v => (object?)v).ToArray();
        }
        var values = new T[rows];
        await group.ReadAsync(field, values.AsMemory(), null);
        return values.Select(v => (object?)v).ToArray();
    }
}
