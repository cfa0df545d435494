using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Fingerprints;
using MLOps.Build.IO;
using MLOps.Build.Locking;
using MLOps.Build.Manifest;
using MLOps.Build.Paths;
using MLOps.Build.Snapshots;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks.Resolve;

/// <summary>
/// Parses each manifest, verifies (or, with <c>UpdateLock</c>, rewrites) the hashes of its data files,
/// and computes the fingerprint that decides whether the model must be trained again.
/// </summary>
public sealed class ModelResolver(ResolverSettings settings, DiagnosticBag diagnostics)
{
    public IReadOnlyList<ResolvedModel> Resolve(IEnumerable<ModelRequest> requests)
    {
        var resolved = new List<ResolvedModel>();
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var request in requests)
        {
            var manifestPath = Path.GetFullPath(Path.Combine(settings.ProjectDirectory, request.ManifestPath));
            if (!File.Exists(manifestPath))
            {
                diagnostics.Add(D.ManifestNotFound, FileLocation.File(settings.ProjectFile ?? manifestPath),
                    $"The MLModel item '{request.ManifestPath}' names a manifest that does not exist ('{manifestPath}').");
                continue;
            }
            var key = CacheKey(request);
            var model = settings.UpdateLock ? null : settings.Cache?.TryGet(key, manifestPath);
            // What only a parse writes must still be there (a deleted artifacts folder clears the cache with it, a deleted file does not).
            if (model is not null && !File.Exists(model.MonitoringPath))
            {
                model = null;
            }
            if (model is not null)
            {
                if (!CheckUniqueName(model.Name, manifestPath, FileLocation.File(manifestPath), byName))
                {
                    continue;
                }
                WriteStamps(model);
            }
            else
            {
                var before = diagnostics.Items.Count;
                model = ResolveOne(manifestPath, request, byName, out var dataFiles, out var hasSets);
                if (model is not null && diagnostics.Items.Count == before && !hasSets)
                {
                    settings.Cache?.Store(key, manifestPath, dataFiles, model);
                }
            }
            if (model is null)
            {
                continue;
            }
            if (ModelArtifacts.AreCurrent(model.ArtifactsDirectory, model.Fingerprint))
            {
                diagnostics.Add(D.ModelUpToDate, FileLocation.File(manifestPath),
                    $"{model.Name} is up to date (fingerprint {model.Fingerprint.Substring(0, 12)}).");
            }
            else
            {
                model = model with { RetrainReason = RetrainReason.ForArtifacts(model.ArtifactsDirectory) };
            }
            resolved.Add(model);
        }
        return resolved;
    }

    /// <summary>Everything a resolution depends on besides the manifest and data files, which the cache stamps.</summary>
    private string CacheKey(ModelRequest request) => string.Join("\u001f",
        settings.ToolVersion, settings.ProjectDirectory, settings.ArtifactsRoot, settings.RootNamespace, settings.RepositoryRoot ?? "",
        settings.Snapshots?.Directory ?? "",
        request.ManifestPath, request.Namespace ?? "", request.ClassName ?? "", request.Visibility ?? "");

    private bool CheckUniqueName(string name, string manifestPath, FileLocation location, Dictionary<string, string> byName)
    {
        if (byName.TryGetValue(name, out var other))
        {
            diagnostics.Add(D.DuplicateModelName, location,
                $"Model name '{name}' is already used by '{other}'; each model in a project needs its own name.");
            return false;
        }
        byName.Add(name, manifestPath);
        return true;
    }

    /// <summary>Only a changed fingerprint touches the stamps, so MSBuild's Inputs/Outputs check skips the train and drift targets otherwise.</summary>
    private static void WriteStamps(ResolvedModel model)
    {
        Directory.CreateDirectory(model.ArtifactsDirectory);
        AtomicFile.WriteIfChanged(model.InputStampPath, System.Text.Encoding.UTF8.GetBytes(model.Fingerprint + "\n"));
        if (model.DriftFingerprint is not null)
        {
            AtomicFile.WriteIfChanged(model.DriftInputStampPath, System.Text.Encoding.UTF8.GetBytes(model.DriftFingerprint + "\n"));
        }
    }

    private ResolvedModel? ResolveOne(string manifestPath, ModelRequest request, Dictionary<string, string> byName, out IReadOnlyList<string> dataFiles, out bool hasSets)
    {
        dataFiles = [];
        hasSets = false;
        var manifest = ManifestParser.ParseFile(manifestPath, diagnostics, settings.Snapshots);
        if (manifest is null || !CheckUniqueName(manifest.Name, manifestPath, manifest.NameLocation, byName))
        {
            return null;
        }

        var className = string.IsNullOrEmpty(request.ClassName) ? manifest.Name : request.ClassName!;
        var ns = string.IsNullOrEmpty(request.Namespace) ? settings.RootNamespace : request.Namespace!;
        var visibility = string.IsNullOrEmpty(request.Visibility) ? "public" : request.Visibility!.ToLowerInvariant();
        if (!CheckItemMetadata(manifestPath, className, ns, visibility))
        {
            return null;
        }

        var repositoryRoot = string.IsNullOrEmpty(settings.RepositoryRoot)
            ? RepositoryPaths.FindRoot(settings.ProjectDirectory)
            : Path.GetFullPath(settings.RepositoryRoot);
        if (!CheckQuerySources(manifest))
        {
            return null;
        }
        if (NeedsSnapshots(manifest) && settings.TakeSnapshots is { } take)
        {
            // The trainer runs the queries (database drivers and DuckDB's native library stay out of MSBuild) and
            // pins their results; the manifest is read again with the pins it may have written.
            if (!take(manifestPath, repositoryRoot) || ManifestParser.ParseFile(manifestPath, diagnostics, settings.Snapshots) is not { } pinned)
            {
                return null;
            }
            manifest = pinned;
        }
        var verified = new List<string>();
        var hashes = VerifyDataFiles(manifest, repositoryRoot, verified);
        if (hashes is null)
        {
            return null;
        }

        hashes.TryGetValue(DataFileReference.DriftCurrentRole, out var currentHash);
        var fingerprint = ModelFingerprint.Compute(manifest, hashes, settings.ToolVersion);
        var driftFingerprint = currentHash is null ? null : ModelFingerprint.ComputeDrift(manifest, fingerprint, currentHash, settings.ToolVersion);
        var model = new ResolvedModel(manifestPath, manifest.Name, className, ns, visibility, fingerprint,
            Path.Combine(Path.GetFullPath(settings.ArtifactsRoot), manifest.Name), repositoryRoot)
        {
            DriftFingerprint = driftFingerprint,
        };
        WriteStamps(model);
        // Written where the stamps are (when the inputs change); the trainer records them in the card.
        ArtifactJson.WriteIfChanged(Path.Combine(model.ArtifactsDirectory, ArtifactNames.InputParts),
            new Dictionary<string, string>(ModelFingerprint.Parts(manifest, hashes, settings.ToolVersion), StringComparer.Ordinal), ArtifactJson.FingerprintParts);
        ArtifactJson.WriteIfChanged(model.MonitoringPath, MonitoringSettings.From(manifest), ArtifactJson.MonitoringSettings);
        // A set's membership is listed again on every build (a new capture file changes no stamp of the old ones).
        dataFiles = verified;
        // An unpinned query (current data) is run again on every build, like a set is listed again.
        hasSets = manifest.DataFiles.Any(f => DataFileSet.Of(f, manifest.DirectoryPath).IsSet || f.Query is not null && f.Sha256 is null);
        return model;
    }

    /// <summary>
    /// A query must be run when the lock is being updated, when it is unpinned (current data: its latest result), when
    /// the store lacks its pinned snapshot or the record that this query, over these files, gave it; a damaged snapshot
    /// (its bytes no longer give its name) is deleted first.
    /// </summary>
    private bool NeedsSnapshots(ModelManifest manifest)
    {
        var needed = false;
        foreach (var file in manifest.DataFiles.Where(f => f.Query is not null))
        {
            var snapshot = file.FullPath(manifest.DirectoryPath);
            if (settings.UpdateLock || file.Sha256 is null || !File.Exists(snapshot))
            {
                needed = true;
            }
            else if (settings.HashCache.GetSha256(snapshot) != file.Sha256)
            {
                File.Delete(snapshot);
                needed = true;
            }
            else if (!SnapshotRecord.IsCurrent(file, manifest.DirectoryPath, settings.Snapshots ?? SnapshotStore.FromEnvironment(), settings.HashCache.GetSha256))
            {
                // The SQL was edited, or a file the DuckDB query reads changed, since the snapshot was taken: its result may have too.
                needed = true;
            }
        }
        return needed;
    }

    /// <summary>
    /// A file a DuckDB query reads is hashed to watch it and read by DuckDB: one with 0 bytes (empty, or a named pipe or
    /// a device, whose open would wait for a writer) is refused before either, as <see cref="CheckFiles"/> refuses a data file.
    /// </summary>
    private bool CheckQuerySources(ModelManifest manifest)
    {
        var ok = true;
        foreach (var file in manifest.DataFiles.Where(f => f.Query is not null))
        {
            if (QuerySources.Files(file, manifest.DirectoryPath).FirstOrDefault(RegularFile.IsEmpty) is { } empty)
            {
                diagnostics.Add(D.EmptyData, file.Query!.SqlLocation,
                    $"The query of '{file.Role}' reads '{QuerySources.NameOf(empty, manifest.DirectoryPath)}', which is empty (0 bytes), or is not a regular file (a named pipe or a device, which the build never opens): there is nothing to read.");
                ok = false;
            }
        }
        return ok;
    }

    private bool CheckItemMetadata(string manifestPath, string className, string ns, string visibility)
    {
        var ok = true;
        var where = FileLocation.File(settings.ProjectFile ?? manifestPath);
        if (!CSharpIdentifiers.IsValidClassName(className))
        {
            diagnostics.Add(D.InvalidIdentifier, where, CSharpIdentifiers.IsValid(className)
                ? $"ClassName '{className}' of MLModel '{manifestPath}' is reserved for the generated class's own members ({string.Join(", ", CSharpIdentifiers.ReservedClassNames)}) or top-level statements."
                : $"ClassName '{className}' of MLModel '{manifestPath}' is not a valid C# identifier.");
            ok = false;
        }
        if (!string.IsNullOrEmpty(ns) && !CSharpIdentifiers.IsValidNamespace(ns))
        {
            diagnostics.Add(D.InvalidIdentifier, where, $"Namespace '{ns}' of MLModel '{manifestPath}' is not a valid C# namespace.");
            ok = false;
        }
        if (visibility is not ("public" or "internal"))
        {
            diagnostics.Add(D.InvalidIdentifier, where, $"Visibility '{visibility}' of MLModel '{manifestPath}' must be 'public' or 'internal'.");
            ok = false;
        }
        return ok;
    }

    /// <summary>Role → SHA-256 of every pinned file, or null when a file is missing, unsafe or changed.</summary>
    /// <param name="dataFiles">Receives every file verified, by full path (a set's files one by one).</param>
    private Dictionary<string, string>? VerifyDataFiles(ModelManifest manifest, string repositoryRoot, List<string> dataFiles)
    {
        var hashes = new Dictionary<string, string>();
        var updates = new Dictionary<DataFileReference, (string Sha256, DataFileSet Set)>();
        var ok = true;
        foreach (var file in manifest.DataFiles)
        {
            var set = DataFileSet.Of(file, manifest.DirectoryPath);
            if (file.Query is not null && settings.TakeSnapshots is null && !File.Exists(set.Files[0]))
            {
                // A design-time build runs no query: it trusts the pin, so the IDE keeps the model's class.
                hashes[file.Role] = file.Sha256 ?? "unpinned:" + file.Query.SqlHash;
                continue;
            }
            if (!CheckFiles(file, set, repositoryRoot))
            {
                ok = false;
                continue;
            }
            var actual = set.IsSet ? set.Hash(settings.HashCache.GetSha256) : settings.HashCache.GetSha256(set.Files[0]);
            hashes[file.Role] = actual;
            dataFiles.AddRange(set.Files);
            // A file a DuckDB query reads is stamped too: its change must bring the resolution (and the query) back.
            dataFiles.AddRange(QuerySources.Files(file, manifest.DirectoryPath));
            if (file.Sha256 == actual)
            {
                continue;
            }
            if (settings.UpdateLock)
            {
                updates[file] = (actual, set);
            }
            else if (file.Sha256 is null && file.PinRequired)
            {
                diagnostics.Add(D.DataHashMissing, file.PathLocation,
                    $"'{file.Role}' {set.Describe(file)} is not pinned by a sha256; build once with -p:MLOpsUpdateLock=true to pin it (sha256 is {actual}).");
                ok = false;
            }
            else if (file.Sha256 is not null)
            {
                diagnostics.Add(D.DataHashMismatch, file.Sha256Node!.Location,
                    $"'{file.Role}' {set.Describe(file)} {(set.IsSet ? "have" : "has")} changed: the manifest pins sha256 {file.Sha256} but {(set.IsSet ? "the set's" : "the file's")} is {actual}. If the change is intended, build with -p:MLOpsUpdateLock=true to accept it.");
                ok = false;
            }
        }
        if (ok && updates.Count > 0)
        {
            AtomicFile.WriteAllBytes(manifest.Path, ManifestHashWriter.Rewrite(manifest, updates.ToDictionary(u => u.Key, u => u.Value.Sha256)));
            foreach (var update in updates)
            {
                diagnostics.Add(D.DataHashUpdated, update.Key.PathLocation, $"Pinned '{update.Key.Role}' {update.Value.Set.Describe(update.Key)} at sha256 {update.Value.Sha256}.");
            }
        }
        return ok ? hashes : null;
    }

    /// <summary>Every file of the entry exists (a set has one at least) and lies inside the repository by its real path.</summary>
    private bool CheckFiles(DataFileReference file, DataFileSet set, string repositoryRoot)
    {
        if (file.Query is not null)
        {
            // The snapshot store is the build's own folder, outside the repository by design.
            if (File.Exists(set.Files[0]))
            {
                return true;
            }
            diagnostics.Add(D.DataFileNotFound, file.PathLocation, $"The snapshot of '{file.Role}' query ({file.Query.Engine.ToName()}) is not in the snapshot store ('{set.Files[0]}').");
            return false;
        }
        if (file.Role == DataFileReference.OnnxRole && set.IsSet)
        {
            diagnostics.Add(D.InvalidValue, file.PathLocation, $"'{file.Role}' names a folder or a glob ('{file.RelativePath}'); an ONNX model is one file.");
            return false;
        }
        foreach (var fullPath in set.IsSet ? set.Files.Prepend(set.BaseDirectory) : set.Files)
        {
            if (!RepositoryPaths.IsInside(fullPath, repositoryRoot))
            {
                // Only paths are named: nothing is read from a file outside the repository, so nothing of it can be shown.
                var real = RepositoryPaths.RealPath(fullPath);
                var shown = set.IsSet && fullPath != set.BaseDirectory ? $"'{file.RelativePath}' file '{set.NameOf(fullPath)}'" : $"'{file.RelativePath}'";
                diagnostics.Add(D.UnsafePath, file.PathLocation, real is null
                    ? $"'{file.Role}' path {shown} goes through links that cannot be followed (a loop, or more than 40). Keep model inputs inside the repository so that the build is reproducible."
                    : $"'{file.Role}' path {shown} resolves to '{real}'{(real == fullPath ? "" : " through a link")}, outside the repository '{repositoryRoot}'. Keep model inputs inside the repository so that the build is reproducible.");
                return false;
            }
        }
        if (set.IsSet && set.Files.Count == 0)
        {
            diagnostics.Add(D.DataFileNotFound, file.PathLocation,
                $"'{file.Role}' names the files '{file.RelativePath}', and no file matches (looked in '{set.BaseDirectory}'; hidden files, whose names start with '.', are never part of a set).");
            return false;
        }
        if (!set.IsSet && !File.Exists(set.Files[0]))
        {
            diagnostics.Add(D.DataFileNotFound, file.PathLocation, $"'{file.Role}' file '{file.RelativePath}' was not found (looked for '{set.Files[0]}').");
            return false;
        }
        // A named pipe would make the build wait forever; an empty file has nothing to read. Neither is opened.
        if (set.FirstEmpty() is { } empty)
        {
            var shown = set.IsSet ? $"'{file.RelativePath}' file '{set.NameOf(empty)}'" : $"file '{file.RelativePath}'";
            diagnostics.Add(D.EmptyData, file.PathLocation,
                $"'{file.Role}' {shown} is empty (0 bytes), or is not a regular file (a named pipe or a device, which the build never opens): there is nothing to read.");
            return false;
        }
        return true;
    }
}

public sealed record ResolverSettings(
    string ProjectDirectory,
    string ArtifactsRoot,
    string RootNamespace,
    string ToolVersion,
    bool UpdateLock,
    IFileHashCache HashCache)
{
    /// <summary>Last build's resolutions; null resolves every model afresh.</summary>
    public ResolveCache? Cache { get; init; }

    public string? RepositoryRoot { get; init; }
    public string? ProjectFile { get; init; }

    /// <summary>Where query snapshots are; null: <see cref="SnapshotStore.FromEnvironment"/>.</summary>
    public SnapshotStore? Snapshots { get; init; }

    /// <summary>
    /// Runs a manifest's queries into the snapshot store (manifest path, repository root → success); null where no
    /// query may run (design-time builds), which then trust the pins.
    /// </summary>
    public Func<string, string, bool>? TakeSnapshots { get; init; }
}
