using System.Text;
using MLOps.Build.IO;

namespace MLOps.Build.Snapshots;

/// <summary>One file of a package the project references: a managed assembly or a native library, for one runtime or any.</summary>
/// <param name="IsNative">A native library (NuGet's <c>native</c> asset), not a managed assembly.</param>
/// <param name="RuntimeIdentifier">The runtime the asset is for (<c>linux-x64</c>, <c>win</c>, <c>unix</c>); empty: any.</param>
public sealed record QueryProviderAsset(bool IsNative, string RuntimeIdentifier, string Path);

/// <summary>
/// The hand-over of the project's package assets from the build to the trainer, which loads a plugged ADO.NET
/// provider (SQLite, or any <c>adonet</c> one) and its dependencies from them: one line per asset,
/// <c>runtime|native TAB rid TAB path</c>, in a file the build names in <see cref="Variable"/>.
/// </summary>
public static class QueryProviderAssets
{
    /// <summary>Set by the build for the trainer's <c>snapshot</c> command: the path of the assets file.</summary>
    public const string Variable = "MLOPS_QUERY_PROVIDER_ASSETS";

    private const string Native = "native";
    private const string Runtime = "runtime";

    public static void Write(string path, IEnumerable<QueryProviderAsset> assets)
    {
        var text = new StringBuilder();
        foreach (var asset in assets)
        {
            text.Append(asset.IsNative ? Native : Runtime).Append('\t').Append(asset.RuntimeIdentifier).Append('\t').Append(asset.Path).Append('\n');
        }
        AtomicFile.WriteIfChanged(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The assets in the file; empty when it is missing or unreadable.</summary>
    public static IReadOnlyList<QueryProviderAsset> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        var assets = new List<QueryProviderAsset>();
        foreach (var line in lines)
        {
            var fields = line.Split('\t');
            if (fields.Length == 3 && fields[2].Length > 0 && fields[0] is Native or Runtime)
            {
                assets.Add(new QueryProviderAsset(fields[0] == Native, fields[1], fields[2]));
            }
        }
        return assets;
    }
}
