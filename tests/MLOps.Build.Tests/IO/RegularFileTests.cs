using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;
using MLOps.Build.Manifest;

namespace MLOps.Build.Tests.IO;

/// <summary>Files the build did not write are read as far as they say they reach: a pipe or a device is never waited on or read without end.</summary>
public sealed class RegularFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("mlops-regular-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async System.Threading.Tasks.Task A_manifest_committed_as_a_link_to_a_device_is_an_empty_manifest_not_gigabytes()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var manifest = Path.Combine(_folder.FullName, "M.mlmodel.json");
        File.CreateSymbolicLink(manifest, "/dev/zero");
        var diagnostics = new DiagnosticBag();

        // File.ReadAllBytes read /dev/zero for 19 s to 4 GB, then threw OutOfMemoryException: bounded, so a regression fails.
        var parsed = await System.Threading.Tasks.Task.Run(() => ManifestParser.ParseFile(manifest, diagnostics)).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Null(parsed);
        Assert.Equal("MLOPS1002", Assert.Single(diagnostics.Items).Id);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_named_pipe_is_never_opened_so_nothing_waits_for_its_writer()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var pipe = Path.Combine(_folder.FullName, "M.mlmodel.lock.json");
        Assert.Equal(0, MakeFifo(pipe, 0b110_100_100));

        var bytes = await System.Threading.Tasks.Task.Run(() => RegularFile.ReadAllBytes(pipe)).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Empty(bytes);
        Assert.True(RegularFile.IsEmpty(pipe));
        await Assert.ThrowsAsync<System.Text.Json.JsonException>(() => System.Threading.Tasks.Task.Run(() => ArtifactJson.Read(pipe, ArtifactJson.CacheEntry)).WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3_000_001)]
    public void A_regular_file_reads_as_File_ReadAllBytes_reads_it(int length)
    {
        var path = Path.Combine(_folder.FullName, "data.bin");
        var written = new byte[length];
        new Random(length).NextBytes(written);
        File.WriteAllBytes(path, written);

        Assert.Equal(File.ReadAllBytes(path), RegularFile.ReadAllBytes(path));
        Assert.Throws<FileNotFoundException>(() => RegularFile.ReadAllBytes(path + ".missing"));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, uint mode);
}
