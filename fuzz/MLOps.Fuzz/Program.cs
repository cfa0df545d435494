using MLOps.Fuzz;

// MLOps.Fuzz <target> --afl             run under afl-fuzz (the MLOps assemblies instrumented by sharpfuzz first: fuzz/afl)
// MLOps.Fuzz <target> <file|folder>...  run each file once, in process; exit 1 when one breaks a promise
// MLOps.Fuzz --parquet-seed <path>      write the Parquet seed of the corpus
// Targets: manifest, csv, parquet, card, onnx (FuzzTargets).
if (args is ["--parquet-seed", var seedPath])
{
    await ParquetSeed.Write(seedPath);
    return 0;
}
if (args.Length < 2 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: MLOps.Fuzz <{string.Join("|", FuzzTargets.All.Keys)}> --afl | <file or folder>...");
    return 2;
}
if (args[1] == "--afl")
{
    SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        target(memory.ToArray());
    });
    return 0;
}
var failed = 0;
var files = args.Skip(1).SelectMany(path => Directory.Exists(path) ? Directory.GetFiles(path).Order(StringComparer.Ordinal).ToArray() : [path]).ToArray();
foreach (var file in files)
{
    try
    {
        target(File.ReadAllBytes(file));
    }
    catch (Exception ex)
    {
        failed++;
        Console.WriteLine($"{file}: {ex.GetType().Name}: {ex.Message}");
        Console.Error.WriteLine(ex);
    }
}
Console.WriteLine($"{args[0]}: {files.Length - failed} of {files.Length} inputs kept every promise");
return failed == 0 ? 0 : 1;
