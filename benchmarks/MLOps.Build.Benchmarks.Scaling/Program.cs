using System.Diagnostics;
using MLOps.Build.Benchmarks.Scaling;
using MLOps.Runtime;

// Rows per second of one shared WeatherModel instance (compiled engine) on 1, 2, 4, 8 and 16 threads (or the
// thread counts given), plain, with the drift monitor (since the start and a 15-minute window), and scored with a
// key whose outcome is recorded; each point runs SECONDS seconds (default 3). Prints one table.
var seconds = double.TryParse(Environment.GetEnvironmentVariable("SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3;
var threads = args.Length > 0 ? args.Select(int.Parse).ToArray() : [1, 2, 4, 8, 16];
var random = new Random(7);
var rows = Enumerable.Range(0, 4096).Select(_ => new WeatherModel.Input
{
    Precipitation = random.Next(3) == 0 ? random.NextSingle() * 20 : 0,
    TempMax = random.NextSingle() * 35,
    TempMin = random.NextSingle() * 15,
    Wind = random.NextSingle() * 8,
}).ToArray();
var keys = Enumerable.Range(0, 1 << 16).Select(i => "k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

using var plain = WeatherModel.Load();
using var monitored = WeatherModel.Load(new ModelSessionOptions { MonitorDrift = true });
using var keyed = WeatherModel.Load(new ModelSessionOptions { MonitorDrift = true, TrackOutcomes = true });
Console.WriteLine($"engine {plain.Engine}, {Environment.ProcessorCount} processors, {seconds} s a point");
// Warm-up: every path once, so that no point pays for first calls.
for (var i = 0; i < 20_000; i++)
{
    plain.Predict(rows[i & 4095]);
    monitored.Predict(rows[i & 4095]);
    keyed.RecordOutcome(keys[i], keyed.Predict(rows[i & 4095], keys[i]).PredictedLabel);
}
Console.WriteLine("threads | plain rows/s | monitored rows/s | monitored/plain | keyed rows/s | keyed/plain");
foreach (var count in threads)
{
    var a = Run(count, (i, _) => plain.Predict(rows[i & 4095]));
    var b = Run(count, (i, _) => monitored.Predict(rows[i & 4095]));
    var c = Run(count, (i, t) =>
    {
        var key = keys[(i * 16 + t) & 0xFFFF];
        keyed.RecordOutcome(key, keyed.Predict(rows[i & 4095], key).PredictedLabel);
    });
    Console.WriteLine($"{count,7} | {a,12:N0} | {b,16:N0} | {b / a,15:0.00} | {c,12:N0} | {c / a,11:0.00}");
}

double Run(int count, Action<int, int> score)
{
    long total = 0;
    var stop = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, count).Select(t => new Thread(() =>
    {
        long done = 0;
        var i = t * 997;
        while (stop.Elapsed.TotalSeconds < seconds)
        {
            for (var n = 0; n < 256; n++)
            {
                score(i++, t);
            }
            done += 256;
        }
        Interlocked.Add(ref total, done);
    })).ToList();
    workers.ForEach(w => w.Start());
    workers.ForEach(w => w.Join());
    return total / stop.Elapsed.TotalSeconds;
}
