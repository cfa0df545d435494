using System.Reflection;

namespace MLOps.Build.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Packs the packages (build, runtime, CLI tool) once per test run under a version no earlier run used, into a feed and a NuGet
/// packages folder of their own, so that no test can pick up a stale MLOps.Build from a global cache.
/// </summary>
public sealed class PackagesFixture : IDisposable
{
    public PackagesFixture()
    {
        RepositoryRoot = typeof(PackagesFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "RepositoryRoot").Value!;
        Root = Path.Combine(Path.GetTempPath(), "mlops-e2e-" + Guid.NewGuid().ToString("N")[..10]);
        Feed = Path.Combine(Root, "feed");
        PackagesFolder = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Feed);
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}";

        foreach (var project in new[] { "src/MLOps.Build.Tasks/MLOps.Build.Tasks.csproj", "src/MLOps.Runtime/MLOps.Runtime.csproj", "src/MLOps.Runtime.Hosting/MLOps.Runtime.Hosting.csproj", "src/MLOps.Cli/MLOps.Cli.csproj" })
        {
            var result = DotNet.Run(RepositoryRoot, null, "pack", Path.Combine(RepositoryRoot, project), "-c", "Release",
                "-o", Feed, $"-p:Version={Version}", "-nodeReuse:false");
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Packing {project} failed:\n{result.Output}");
            }
        }
    }

    public string RepositoryRoot { get; }
    public string Root { get; }
    public string Feed { get; }
    public string PackagesFolder { get; }
    public string Version { get; }

    /// <summary>Packages other than ours come from the machine's usual NuGet folder when they are there already.</summary>
    public string GlobalPackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackagesFixture>
{
    public const string Name = "packed MLOps.Build";
}
