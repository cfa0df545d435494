using System.Diagnostics;

namespace MLOps.Build.Benchmarks;

/// <summary>
/// Files of the npm package vega-datasets@3.2.1 (public data sets; fetched with <c>npm pack</c> on first use into
/// artifacts/benchmark-data, never committed).
/// </summary>
internal static class VegaDatasets
{
    private const string Package = "vega-datasets@3.2.1";

    /// <summary>The full path of <c>package/data/<paramref name="name"/></c>, fetched when missing.</summary>
    public static string File(string name)
    {
        var folder = Path.Combine(ScoringFixture.RepositoryRoot, "artifacts", "benchmark-data");
        var file = Path.Combine(folder, "package", "data", name);
        if (System.IO.File.Exists(file))
        {
            return file;
        }
        Directory.CreateDirectory(folder);
        if (!System.IO.File.Exists(Path.Combine(folder, "vega-datasets-3.2.1.tgz")))
        {
            Run(folder, "npm", "pack " + Package);
        }
        Run(folder, "tar", "xzf vega-datasets-3.2.1.tgz package/data/" + name);
        return System.IO.File.Exists(file) ? file : throw new InvalidOperationException($"npm pack {Package} did not produce {file}");
    }

    private static void Run(string folder, string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { WorkingDirectory = folder })!;
        process.WaitForExit();
    }
}
