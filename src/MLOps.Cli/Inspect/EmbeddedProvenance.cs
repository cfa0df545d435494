using System.IO.Compression;
using System.IO.Enumeration;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using MLOps.Build.Artifacts;
using MLOps.Build.Hashing;
using MLOps.Build.Provenance;
using MLOps.Shared;

namespace MLOps.Cli.Inspect;

/// <summary>A model found in a built assembly, with its provenance statement and whether the embedded model is the one it describes.</summary>
/// <param name="Assembly">The assembly's path (inside a package: <c>package.nupkg!lib/net8.0/App.dll</c>).</param>
/// <param name="OnnxMatches">Whether the embedded ONNX model's SHA-256 is the statement's; null when the model itself is not embedded.</param>
public sealed record EmbeddedProvenance(string Assembly, string Model, ProvenanceStatement Provenance, bool? OnnxMatches)
{
    /// <summary>The signed provenance (DSSE envelope) embedded beside the model; null: unsigned.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[]? SignedProvenance { get; init; }

    /// <summary>The provenance as embedded (its exact bytes, which a signature covers).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[] ProvenanceBytes { get; init; } = [];

    /// <summary>With <c>--verify</c>: "valid (key …)", "unsigned", or "invalid: why"; null when not verified.</summary>
    public string? Signature { get; init; }
}

/// <summary>
/// Reads the models MLOps.Build embedded in built assemblies without loading or running them: the manifest resources
/// of each assembly's metadata (System.Reflection.Metadata), in one assembly, every assembly of a folder, or every
/// assembly of a NuGet package.
/// </summary>
public static class AssemblyModels
{
    /// <summary>
    /// Every model with a provenance statement under <paramref name="path"/> (an assembly, a .nupkg, or a folder of
    /// them). A file that cannot be read (no permission, a damaged package or assembly, one cut short) is a problem
    /// naming it; the others are still read.
    /// </summary>
    public static IReadOnlyList<EmbeddedProvenance> Find(string path, List<string> problems)
    {
        var found = new List<EmbeddedProvenance>();
        if (Directory.Exists(path))
        {
            foreach (var file in FilesBelow(path).Order(StringComparer.Ordinal))
            {
                if (IsAssembly(file) || IsPackage(file))
                {
                    found.AddRange(Find(file, problems));
                }
            }
            return found;
        }
        try
        {
            if (IsPackage(path))
            {
                using var package = ZipFile.OpenRead(path);
                foreach (var entry in package.Entries.Where(e => IsAssembly(e.FullName)).OrderBy(e => e.FullName, StringComparer.Ordinal))
                {
                    // ZipArchive inflates an entry no further than the length the package declares for it, so a
                    // zip bomb costs that much; more than an array holds is an IOException, a problem below.
                    using var stream = entry.Open();
                    var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    copy.Position = 0;
                    found.AddRange(Read(copy, $"{path}!{entry.FullName}", problems));
                }
                return found;
            }
            using var file = File.OpenRead(path);
            found.AddRange(Read(file, path, problems));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            problems.Add($"{path}: cannot be read ({ex.Message.Trim()}).");
        }
        return found;
    }

    /// <summary>
    /// Every file below a folder, as <c>find</c> lists them: a link to a folder is not followed (a link to a parent
    /// listed the same assemblies again until the path grew too long), a folder that cannot be listed is passed over.
    /// </summary>
    private static IEnumerable<string> FilesBelow(string folder) =>
        new FileSystemEnumerable<string>(folder, (ref FileSystemEntry entry) => entry.ToFullPath(),
            new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };

    private static bool IsAssembly(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".exe", StringComparison.OrdinalIgnoreCase);

    private static bool IsPackage(string path) => path.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase);

    private static List<EmbeddedProvenance> Read(Stream stream, string display, List<string> problems)
    {
        var found = new List<EmbeddedProvenance>();
        using var pe = new PEReader(stream, PEStreamOptions.LeaveOpen);
        try
        {
            _ = pe.PEHeaders;
        }
        catch (BadImageFormatException)
        {
            return found; // not a PE file: a text file named .dll, a native library of another format
        }
        try
        {
            if (!pe.HasMetadata || pe.PEHeaders.CorHeader is not { } cor)
            {
                return found; // a native library
            }
            var metadata = pe.GetMetadataReader();
            var resources = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var handle in metadata.ManifestResources)
            {
                var resource = metadata.GetManifestResource(handle);
                var name = metadata.GetString(resource.Name);
                if (resource.Implementation.IsNil && name.StartsWith(ModelResources.Prefix, StringComparison.Ordinal))
                {
                    resources[name] = Bytes(pe, cor.ResourcesDirectory.RelativeVirtualAddress, resource.Offset);
                }
            }
            foreach (var (name, bytes) in resources.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                if (ModelResources.ModelOfProvenance(name) is not { } model)
                {
                    continue;
                }
                ProvenanceStatement statement;
                try
                {
                    statement = ArtifactJson.Deserialize(bytes, ArtifactJson.Provenance);
                }
                catch (System.Text.Json.JsonException ex)
                {
                    problems.Add($"{display}: the provenance of '{model}' cannot be read ({ex.Message}).");
                    continue;
                }
                var onnx = resources.TryGetValue(ModelResources.Name(model), out var modelBytes) ? FileHash.Sha256(modelBytes) : null;
                found.Add(new EmbeddedProvenance(display, model, statement, onnx is null ? null : onnx == statement.Onnx.Sha256)
                {
                    ProvenanceBytes = bytes,
                    SignedProvenance = resources.TryGetValue(ModelResources.SignedProvenanceName(model), out var signed) ? signed : null,
                });
            }
        }
        catch (BadImageFormatException ex)
        {
            // Its headers are a PE file's, the rest is not: cut short (a copy or download that stopped), or damaged.
            problems.Add($"{display}: cannot be read, damaged or cut short ({ex.Message.Trim()}).");
            return [];
        }
        return found;
    }

    /// <summary>An embedded resource's bytes: a 4-byte length, then the data, at its offset in the resources block.</summary>
    private static byte[] Bytes(PEReader pe, int resourcesRva, long offset)
    {
        var block = pe.GetSectionData(resourcesRva);
        if (offset < 0 || offset > block.Length - sizeof(int))
        {
            throw new BadImageFormatException($"a resource at offset {offset} of a {block.Length}-byte resources block");
        }
        var reader = block.GetReader((int)offset, block.Length - (int)offset);
        var length = reader.ReadInt32();
        return reader.ReadBytes(length);
    }
}
