namespace MLOps.Build.Testing;

/// <summary>
/// The "Tier" trait of every test, so a tier runs alone (README, "Tests"): each project has its tier as an assembly
/// trait, and a test that needs a browser, a server or a fuzzer from Debian's packages, or starts child processes,
/// adds that tier too.
/// <c>dotnet test MLOps.Build.sln --filter "Tier=Unit&amp;Tier!=Browser&amp;Tier!=Server&amp;Tier!=Fuzzer&amp;Tier!=ChildProcess"</c>
/// is the short tier: in process only.
/// </summary>
public static class TestTiers
{
    public const string Trait = "Tier";

    /// <summary>In process, seconds: parsing, tasks, generators, the runtime.</summary>
    public const string Unit = "Unit";

    /// <summary>The trainer in process: ML.NET training, export and parity (minutes).</summary>
    public const string Trainer = "Trainer";

    /// <summary>Packed packages, fresh consumer projects, real dotnet build/run/publish (the longest tier).</summary>
    public const string EndToEnd = "EndToEnd";

    /// <summary>Headless Chromium.</summary>
    public const string Browser = "Browser";

    /// <summary>A real server started by the test: PostgreSQL, nginx, Prometheus.</summary>
    public const string Server = "Server";

    /// <summary>AFL++ runs.</summary>
    public const string Fuzzer = "Fuzzer";

    /// <summary>Starts child processes: the tasks' trainer launch driven by stand-in trainers read by /bin/sh (POSIX only).</summary>
    public const string ChildProcess = "ChildProcess";
}
