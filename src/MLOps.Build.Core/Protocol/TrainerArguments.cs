using System.Globalization;
using MLOps.Build.Caching;

namespace MLOps.Build.Protocol;

/// <summary>
/// The trainer's command line, written by the build (TrainerLaunch) and read by the trainer (Program): one type that
/// formats and parses, so an option is never sent without being read. <c>&lt;command&gt; --name value …</c>.
/// </summary>
/// <param name="Command"><c>train</c>, <c>drift</c>, <c>snapshot</c> or <c>trial-worker</c>.</param>
public sealed record TrainerArguments(string Command, string ManifestPath)
{
    private const string Manifest = "--manifest";
    private const string Output = "--output";
    private const string FingerprintOption = "--fingerprint";
    private const string RepositoryRootOption = "--repository-root";
    private const string ParentPid = "--parent-pid";
    private const string TrialCache = "--trial-cache";
    private const string ParallelismOption = "--parallelism";
    private const string ShardOption = "--shard";
    private const string UpdateLockOption = "--update-lock";
    private const string RemoteCacheUrl = "--remote-cache";
    private const string RemoteCacheWrite = "--remote-cache-write";
    private const string RemoteCacheTimeout = "--remote-cache-timeout";
    private const string RemoteCacheTokenVariable = "--remote-cache-token-variable";
    private const string ResultOption = "--result";
    private const string AcceptedOption = "--accepted";
    private const string RunHistoryOption = "--run-history";

    /// <summary>Where the artifacts go (<c>train</c>, <c>drift</c>).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>What the artifacts must record: the model's fingerprint, or the drift report's.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>The folder data paths must stay inside; null: the manifest's folder.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>The build process: when it is gone, the trainer stops.</summary>
    public int? ParentProcessId { get; init; }

    public string? TrialCacheDirectory { get; init; }

    /// <summary>Sweep trials at once; 0: one per core.</summary>
    public int Parallelism { get; init; }

    /// <summary>"i/n": one shard of a sweep.</summary>
    public string? Shard { get; init; }

    /// <summary><c>snapshot</c>: run every query again and pin its result.</summary>
    public bool UpdateLock { get; init; }

    public RemoteCacheSettings? RemoteCache { get; init; }

    /// <summary><c>train</c>: the folder holding the accepted model's ONNX file and card, to compare the new model with on the same test rows; null: none.</summary>
    public string? AcceptedDirectory { get; init; }

    /// <summary><c>train</c>: the model's run history, whose earlier sweep winners a sweep tries first; null: none.</summary>
    public string? RunHistoryPath { get; init; }

    /// <summary>Where the trainer writes its <see cref="TrainerResult"/>; null: it prints its diagnostics instead (a run by hand).</summary>
    public string? ResultPath { get; init; }

    public IReadOnlyList<string> Format()
    {
        var arguments = new List<string> { Command, Manifest, ManifestPath };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                arguments.Add(name);
                arguments.Add(value);
            }
        }
        Add(Output, OutputDirectory);
        Add(FingerprintOption, Fingerprint);
        Add(RepositoryRootOption, RepositoryRoot);
        Add(ParentPid, ParentProcessId?.ToString(CultureInfo.InvariantCulture));
        Add(TrialCache, TrialCacheDirectory);
        Add(ParallelismOption, Parallelism > 0 ? Parallelism.ToString(CultureInfo.InvariantCulture) : null);
        Add(ShardOption, Shard);
        Add(UpdateLockOption, UpdateLock ? "true" : null);
        Add(ResultOption, ResultPath);
        Add(AcceptedOption, AcceptedDirectory);
        Add(RunHistoryOption, RunHistoryPath);
        if (RemoteCache is { } remote)
        {
            Add(RemoteCacheUrl, remote.Url);
            Add(RemoteCacheWrite, remote.Write ? "true" : "false");
            Add(RemoteCacheTimeout, remote.TimeoutSeconds.ToString(CultureInfo.InvariantCulture));
            Add(RemoteCacheTokenVariable, remote.TokenVariable);
        }
        return arguments;
    }

    /// <summary>The arguments <see cref="Format"/> wrote; null when there is no command or no manifest.</summary>
    public static TrainerArguments? Parse(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
        {
            return null;
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < arguments.Count; i += 2)
        {
            if (arguments[i].StartsWith("--", StringComparison.Ordinal))
            {
                options[arguments[i]] = arguments[i + 1];
            }
        }
        if (!options.TryGetValue(Manifest, out var manifest))
        {
            return null;
        }
        string? Get(string name) => options.TryGetValue(name, out var value) ? value : null;
        int? Number(string name) => int.TryParse(Get(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
        return new TrainerArguments(arguments[0], manifest)
        {
            OutputDirectory = Get(Output),
            Fingerprint = Get(FingerprintOption),
            RepositoryRoot = Get(RepositoryRootOption),
            ParentProcessId = Number(ParentPid),
            TrialCacheDirectory = Get(TrialCache),
            Parallelism = Number(ParallelismOption) ?? 0,
            Shard = Get(ShardOption),
            UpdateLock = Get(UpdateLockOption) == "true",
            ResultPath = Get(ResultOption),
            AcceptedDirectory = Get(AcceptedOption),
            RunHistoryPath = Get(RunHistoryOption),
            RemoteCache = Get(RemoteCacheUrl) is { Length: > 0 } url
                ? new RemoteCacheSettings(url, Get(RemoteCacheWrite) == "true", Number(RemoteCacheTimeout) ?? 10, Get(RemoteCacheTokenVariable))
                : null,
        };
    }
}
