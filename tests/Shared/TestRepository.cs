using System.Reflection;

namespace MLOps.Build.Testing;

/// <summary>The repository the tests were built from (the <c>RepositoryRoot</c> assembly metadata every test project carries).</summary>
public static class TestRepository
{
    public static string Root { get; } = typeof(TestRepository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;
}
