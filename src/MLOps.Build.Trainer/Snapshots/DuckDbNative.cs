using System.Reflection;
using System.Runtime.InteropServices;

namespace MLOps.Build.Trainer.Snapshots;

/// <summary>
/// Finds DuckDB's native library. The MLOps.Build package ships DuckDB's managed provider only; the native library
/// (about 70 MB per platform) comes from the DuckDB.NET.Bindings.Full package of the same version, restored into the
/// NuGet cache by the user's project (<c>ExcludeAssets="all"</c>: for the build, not for the app).
/// </summary>
internal static class DuckDbNative
{
    public const string PackageId = "DuckDB.NET.Bindings.Full";

    private const string LibraryName = "duckdb";
    private static int s_registered;

    /// <summary>DuckDB.NET.Bindings, the assembly whose P/Invokes name the native library.</summary>
    private static Assembly? Bindings =>
        typeof(DuckDB.NET.Data.DuckDBConnection).Assembly.GetReferencedAssemblies()
            .FirstOrDefault(a => a.Name == "DuckDB.NET.Bindings") is { } name ? Assembly.Load(name) : null;

    /// <summary>The version of the bindings the trainer was built with, which the native library must match.</summary>
    public static string Version
    {
        get
        {
            var informational = Bindings?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
            var plus = informational.IndexOf('+');
            return plus < 0 ? informational : informational[..plus];
        }
    }

    /// <summary>Where the native library is looked for, first found wins.</summary>
    public static IEnumerable<string> Candidates()
    {
        var relative = Path.Combine(PackageId.ToLowerInvariant(), Version, "runtimes", RuntimeFolder(), "native", FileName());
        foreach (var root in PackageRoots())
        {
            yield return Path.Combine(root, relative);
        }
    }

    /// <summary>Loads the library from <see cref="Candidates"/> when the default probing (beside the app) finds none.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }
        if (Bindings is not { } bindings)
        {
            return;
        }
        NativeLibrary.SetDllImportResolver(bindings, (name, assembly, path) =>
        {
            if (name != LibraryName)
            {
                return IntPtr.Zero;
            }
            if (NativeLibrary.TryLoad(name, assembly, path, out var beside))
            {
                return beside;
            }
            foreach (var candidate in Candidates())
            {
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
                {
                    return handle;
                }
            }
            return IntPtr.Zero;
        });
    }

    private static IEnumerable<string> PackageRoots()
    {
        foreach (var variable in new[] { MLOps.Build.Snapshots.SnapshotStore.NuGetPackagesVariable, "NUGET_PACKAGES" })
        {
            foreach (var root in (Environment.GetEnvironmentVariable(variable) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return root;
            }
        }
        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    private static string RuntimeFolder()
    {
        var architecture = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        if (OperatingSystem.IsMacOS())
        {
            return "osx";
        }
        return (OperatingSystem.IsWindows() ? "win-" : "linux-") + architecture;
    }

    private static string FileName() =>
        OperatingSystem.IsWindows() ? "duckdb.dll" : OperatingSystem.IsMacOS() ? "libduckdb.dylib" : "libduckdb.so";
}
