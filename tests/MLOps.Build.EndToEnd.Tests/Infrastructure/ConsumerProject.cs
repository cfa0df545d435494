using System.Security.Cryptography;

namespace MLOps.Build.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A fresh console project in a temporary git repository that references the packed MLOps.Build, the way a
/// user's project would. Every build writes a binlog; <see cref="Verify"/> keeps them when assertions fail.
/// </summary>
public sealed class ConsumerProject : IDisposable
{
    private readonly PackagesFixture _packages;
    private int _builds;

    /// <param name="folder">The start of the project folder's name (the project's name unless given).</param>
    public ConsumerProject(PackagesFixture packages, string name = "Consumer", string? folder = null)
    {
        _packages = packages;
        Name = name;
        Root = Path.Combine(packages.Root, "consumers", (folder ?? name) + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(Root, ".git"));
        CacheDirectory = Path.Combine(Root, ".mlops-cache");
        Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packages.PackagesFolder}" />
              </config>
              <fallbackPackageFolders>
                <add key="machine" value="{packages.GlobalPackagesFolder}" />
              </fallbackPackageFolders>
              <packageSources>
                <clear />
                <add key="mlops-e2e" value="{packages.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        Write("Program.cs", """
            var assembly = typeof(Program).Assembly;
            foreach (var model in MLOps.Runtime.EmbeddedModels.List(assembly))
            {
                Console.WriteLine($"embedded {model} {MLOps.Runtime.EmbeddedModels.Read(assembly, model).Length} bytes");
            }
            """);
        SetModels();
    }

    public string Name { get; }

    /// <summary>The shared artifact cache this project builds with (MLOPS_CACHE_DIR); one per project unless shared on purpose.</summary>
    public string CacheDirectory { get; set; }

    public string TargetFrameworks { get; set; } = "net10.0";

    /// <summary>More project file content (properties, targets), written by the next <see cref="SetModels"/>.</summary>
    public string ExtraProjectXml { get; set; } = "";
    public string Root { get; }
    public List<string> Binlogs { get; } = [];

    public string PathOf(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));

    public string Write(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    public string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    /// <summary>The sample's Seattle weather files (2012–2014 and 2015) under Models/data/, as a user would copy them.</summary>
    public void CopySampleWeatherData()
    {
        foreach (var file in new[] { "seattle-weather-2012-2014.csv", "seattle-weather-2015.csv" })
        {
            Write("Models/data/" + file, File.ReadAllText(Path.Combine(_packages.RepositoryRoot, "samples", "WeatherForecast", "Models", "data", file)));
        }
    }

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public void SetModels(params string[] manifests) => Write($"{Name}.csproj", $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFrameworks>{TargetFrameworks}</TargetFrameworks>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="MLOps.Build" Version="{_packages.Version}" PrivateAssets="all" />
            <PackageReference Include="MLOps.Runtime" Version="{_packages.Version}" />
          </ItemGroup>
          <ItemGroup>
        {string.Concat(manifests.Select(m => $"    <MLModel Include=\"{m}\" />\n"))}  </ItemGroup>
        {(ExtraProjectXml.Length > 0 ? ExtraProjectXml + "\n" : "")}</Project>
        """);

    public BuildResult Build(params string[] properties)
    {
        using var running = StartBuild(properties);
        return ToBuildResult(running.Wait(TimeSpan.FromMinutes(10)));
    }

    public RunningProcess StartBuild(params string[] properties) => StartBuildOf(Root, properties);

    /// <summary>Builds a project or solution under this project's folder (or this project).</summary>
    public RunningProcess StartBuildOf(string workingDirectory, string[] properties, params string[] extraArguments)
    {
        var binlog = PathOf($"build-{++_builds}.binlog");
        Binlogs.Add(binlog);
        var arguments = new List<string> { "build", "-nodeReuse:false", $"-bl:{binlog}", "-clp:NoSummary" };
        arguments.AddRange(extraArguments);
        arguments.AddRange(properties.Select(p => "-p:" + p));
        return DotNet.Start(workingDirectory, Environment, [.. arguments]);
    }

    public static BuildResult ToBuildResult(ProcessResult result) =>
        new(result.ExitCode, result.Output, BuildDiagnostic.Parse(result.Output));

    /// <summary>More environment variables for builds and runs (a database's connection string).</summary>
    public Dictionary<string, string> ExtraEnvironment { get; } = [];

    public Dictionary<string, string> Environment => new(ExtraEnvironment) { ["MLOPS_CACHE_DIR"] = CacheDirectory };

    public ProcessResult RunApp() => DotNet.Run(Root, Environment, "run", "--no-build", "--framework", TargetFrameworks.Split(';')[^1]);

    public string ModelHash(string modelName) => Sha256(PathOf($"obj/mlops/{modelName}/model.onnx"));

    /// <summary>Runs assertions; when they fail, copies this project's binlogs where CI keeps them.</summary>
    public void Verify(string testName, Action assertions)
    {
        try
        {
            assertions();
        }
        catch
        {
            KeepBinlogs(testName);
            throw;
        }
    }

    /// <summary><see cref="Verify"/> for assertions that await (a service under test).</summary>
    public async Task VerifyAsync(string testName, Func<Task> assertions)
    {
        try
        {
            await assertions();
        }
        catch
        {
            KeepBinlogs(testName);
            throw;
        }
    }

    private void KeepBinlogs(string testName)
    {
        var keep = Path.Combine(_packages.RepositoryRoot, "artifacts", "test-binlogs", testName);
        Directory.CreateDirectory(keep);
        foreach (var binlog in Binlogs.Where(File.Exists))
        {
            File.Copy(binlog, Path.Combine(keep, Path.GetFileName(binlog)), overwrite: true);
        }
        Console.Error.WriteLine($"Binlogs of the failed build kept in {keep}");
    }

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

public sealed record BuildResult(int ExitCode, string Output, IReadOnlyList<BuildDiagnostic> Diagnostics)
{
    public bool Succeeded => ExitCode == 0;

    public IEnumerable<BuildDiagnostic> Errors => Diagnostics.Where(d => d.Severity == "error");

    public IEnumerable<BuildDiagnostic> WithCode(string code) => Diagnostics.Where(d => d.Code == code);

    public override string ToString() => Output;
}
