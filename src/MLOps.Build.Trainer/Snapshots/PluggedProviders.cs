using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using MLOps.Build.Snapshots;

namespace MLOps.Build.Trainer.Snapshots;

/// <summary>Why a plugged provider could not be loaded: said as it is in the diagnostic (MLOPS1065).</summary>
internal sealed class ProviderNotLoadedException(string message) : Exception(message);

/// <summary>
/// Loads the ADO.NET provider a query names (SQLite's Microsoft.Data.Sqlite, or any <c>adonet</c> one) from the
/// packages the user's project references, which the build hands over (<see cref="QueryProviderAssets"/>). The
/// provider and its dependencies live in a load context of their own, so their versions never meet the trainer's;
/// only <see cref="DbProviderFactory"/> (from the framework) is shared.
/// </summary>
internal static class PluggedProviders
{
    private static readonly ConcurrentDictionary<string, DbProviderFactory> s_factories = new(StringComparer.OrdinalIgnoreCase);
    private static ProviderLoadContext? s_context;

    /// <summary>The provider's factory; <see cref="ProviderNotLoadedException"/> says why there is none.</summary>
    public static DbProviderFactory Factory(string assemblyName) => s_factories.GetOrAdd(assemblyName, Load);

    private static DbProviderFactory Load(string assemblyName)
    {
        var context = s_context ??= new ProviderLoadContext(Assets());
        if (!context.Holds(assemblyName))
        {
            throw new ProviderNotLoadedException(
                $"the project references no package with the assembly '{assemblyName}'. Add the provider's package, such as <PackageReference Include=\"{assemblyName}\" Version=\"…\" />");
        }
        Assembly assembly;
        try
        {
            using var scope = context.EnterContextualReflection();
            assembly = context.LoadFromAssemblyName(new AssemblyName(assemblyName));
        }
        catch (Exception ex) when (ex is FileLoadException or BadImageFormatException or FileNotFoundException)
        {
            throw new ProviderNotLoadedException(
                $"'{assemblyName}' could not be loaded on .NET {Environment.Version} ({ex.Message.Trim()}); a provider built for a newer .NET needs that runtime installed");
        }
        var factories = Types(assembly).Where(t => typeof(DbProviderFactory).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        foreach (var type in factories)
        {
            if (type.GetField("Instance", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is DbProviderFactory instance)
            {
                return instance;
            }
        }
        throw new ProviderNotLoadedException(
            $"'{assemblyName}' holds no ADO.NET provider factory (a public DbProviderFactory with a static Instance field); name the assembly of the provider itself");
    }

    private static IEnumerable<Type> Types(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }

    private static IReadOnlyList<QueryProviderAsset> Assets() =>
        Environment.GetEnvironmentVariable(QueryProviderAssets.Variable) is { Length: > 0 } path ? QueryProviderAssets.Read(path) : [];

    /// <summary>
    /// The runtimes whose assets fit this process, most specific first (NuGet's RID fallback, for the runtimes
    /// provider packages ship): <c>linux-x64</c>, <c>linux</c>, <c>unix</c>, then any.
    /// </summary>
    internal static IReadOnlyList<string> RuntimeFallbacks()
    {
        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var list = new List<string> { RuntimeInformation.RuntimeIdentifier, $"{os}-{architecture}", os };
        if (!OperatingSystem.IsWindows())
        {
            list.Add("unix");
        }
        list.Add("any");
        list.Add("");
        return list.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The assets that fit this process, by file name: the asset of the most specific runtime wins.</summary>
    internal static Dictionary<string, string> Pick(IEnumerable<QueryProviderAsset> assets, bool native)
    {
        var fallbacks = RuntimeFallbacks();
        var chosen = new Dictionary<string, (int Rank, string Path)>(StringComparer.OrdinalIgnoreCase);
        foreach (var asset in assets.Where(a => a.IsNative == native))
        {
            var rank = IndexOf(fallbacks, asset.RuntimeIdentifier);
            if (rank < 0)
            {
                continue;
            }
            var name = Path.GetFileName(asset.Path);
            if (!chosen.TryGetValue(name, out var best) || rank < best.Rank)
            {
                chosen[name] = (rank, asset.Path);
            }
        }
        return chosen.ToDictionary(c => c.Key, c => c.Value.Path, StringComparer.OrdinalIgnoreCase);
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], item, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private sealed class ProviderLoadContext(IReadOnlyList<QueryProviderAsset> assets) : AssemblyLoadContext("MLOps.Build query providers")
    {
        private readonly Dictionary<string, string> _managed = Pick(assets, native: false)
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p.Key), p => p.Value, StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _native = Pick(assets, native: true);

        public bool Holds(string assemblyName) => _managed.ContainsKey(assemblyName);

        /// <summary>The project's copy of an assembly; null: the trainer's (the framework's, for System.Data.Common).</summary>
        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name is { } name && _managed.TryGetValue(name, out var path) && File.Exists(path) ? LoadFromAssemblyPath(path) : null;

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            foreach (var candidate in FileNames(unmanagedDllName))
            {
                if (_native.TryGetValue(candidate, out var path) && File.Exists(path))
                {
                    return LoadUnmanagedDllFromPath(path);
                }
            }
            return IntPtr.Zero;
        }

        private static IEnumerable<string> FileNames(string name)
        {
            yield return name;
            var extension = OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so";
            yield return name + extension;
            if (!OperatingSystem.IsWindows())
            {
                yield return "lib" + name + extension;
            }
        }
    }
}
