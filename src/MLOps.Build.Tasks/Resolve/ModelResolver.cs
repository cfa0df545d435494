using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.Fingerprints;
using MLOps.Build.IO;
using MLOps.Build.Locking;
using MLOps.Build.Manifest;
using MLOps.Build.Paths;
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
                model = ResolveOne(manifestPath, request, byName, out var dataFiles);
                if (model is not null && diagnostics.Items.Count == before)
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
            resolved.Add(model);
        }
        return resolved;
    }

    /// <summary>Everything a resolution depends on besides the manifest and data files, which the cache stamps.</summary>
    private string CacheKey(ModelRequest request) => string.Join("\u001f",
        settings.ToolVersion, settings.ProjectDirectory, settings.ArtifactsRoot, settings.RootNamespace, settings.RepositoryRoot ?? "",
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

    private ResolvedModel? ResolveOne(string manifestPath, ModelRequest request, Dictionary<string, string> byName, out IReadOnlyList<string> dataFiles)
    {
        dataFiles = [];
        var manifest = ManifestParser.ParseFile(manifestPath, diagnostics);
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
        var hashes = VerifyDataFiles(manifest, repositoryRoot);
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
        ArtifactJson.WriteIfChanged(model.MonitoringPath, MonitoringSettings.From(manifest), ArtifactJson.MonitoringSettings);
        dataFiles = manifest.DataFiles.Select(f => f.FullPath(manifest.DirectoryPath)).ToArray();
        return model;
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
    private Dictionary<string, string>? VerifyDataFiles(ModelManifest manifest, string repositoryRoot)
    {
        var hashes = new Dictionary<string, string>();
        var updates = new Dictionary<DataFileReference, string>();
        var ok = true;
        foreach (var file in manifest.DataFiles)
        {
            var fullPath = file.FullPath(manifest.DirectoryPath);
            if (!RepositoryPaths.IsInside(fullPath, repositoryRoot))
            {
                // Only paths are named: nothing is read from a file outside the repository, so nothing of it can be shown.
                var real = RepositoryPaths.RealPath(fullPath);
                diagnostics.Add(D.UnsafePath, file.PathLocation, real is null
                    ? $"'{file.Role}' path '{file.RelativePath}' goes through links that cannot be followed (a loop, or more than 40). Keep model inputs inside the repository so that the build is reproducible."
                    : $"'{file.Role}' path '{file.RelativePath}' resolves to '{real}'{(real == fullPath ? "" : " through a link")}, outside the repository '{repositoryRoot}'. Keep model inputs inside the repository so that the build is reproducible.");
                ok = false;
                continue;
            }
            if (!File.Exists(fullPath))
            {
                diagnostics.Add(D.DataFileNotFound, file.PathLocation, $"'{file.Role}' file '{file.RelativePath}' was not found (looked for '{fullPath}').");
                ok = false;
                continue;
            }
            var actual = settings.HashCache.GetSha256(fullPath);
            hashes[file.Role] = actual;
            if (file.Sha256 == actual)
            {
                continue;
            }
            if (settings.UpdateLock)
            {
                updates[file] = actual;
            }
            else if (file.Sha256 is null && file.PinRequired)
            {
                diagnostics.Add(D.DataHashMissing, file.PathLocation,
                    $"'{file.Role}' file '{file.RelativePath}' is not pinned by a sha256; build once with -p:MLOpsUpdateLock=true to pin it (sha256 is {actual}).");
                ok = false;
            }
            else if (file.Sha256 is not null)
            {
                diagnostics.Add(D.DataHashMismatch, file.Sha256Node!.Location,
                    $"'{file.Role}' file '{file.RelativePath}' has changed: the manifest pins sha256 {file.Sha256} but the file's is {actual}. If the change is intended, build with -p:MLOpsUpdateLock=true to accept it.");
                ok = false;
            }
        }
        if (ok && updates.Count > 0)
        {
            AtomicFile.WriteAllBytes(manifest.Path, ManifestHashWriter.Rewrite(manifest, updates));
            foreach (var file in updates.Keys)
            {
                diagnostics.Add(D.DataHashUpdated, file.PathLocation, $"Pinned '{file.Role}' file '{file.RelativePath}' at sha256 {updates[file]}.");
            }
        }
        return ok ? hashes : null;
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
}
