using System.Globalization;
using MLOps.Build.Diagnostics;
using MLOps.Build.Hashing;
using MLOps.Build.IO;
using MLOps.Build.Locking;
using MLOps.Build.Manifest;
using MLOps.Cli.Data;
using MLOps.Cli.Projects;
using MLOps.Shared;

namespace MLOps.Cli.Commands;

/// <summary>
/// <c>dotnet mlops data add --model M --captured FOLDER</c>: the captured rows whose outcome arrived become a new file
/// of the model's training set (a folder or glob in <c>data.train</c>), and the set's pin in the manifest is updated,
/// so that retraining on production data is a reviewed commit (the file and the manifest), never a side effect.
/// </summary>
public static class DataAddCommand
{
    public sealed record Result(string Model, string? File, int Added, int Captured, int WithoutKey, int WithoutOutcome,
        IReadOnlyList<string> NotCaptured, string? Sha256, string? Problem);

    public static int Run(ProjectModels project, string? modelName, string captured, string? to, bool json)
    {
        var models = project.Models.Where(m => modelName is null || m.Name == modelName).ToArray();
        if (models.Length != 1)
        {
            Output.Error(modelName is null
                ? $"Name the model with --model; {project.ProjectPath} has {string.Join(", ", project.Models.Select(m => m.Name))}."
                : $"No model '{modelName}' in {project.ProjectPath}; its models: {string.Join(", ", project.Models.Select(m => m.Name))}.");
            return 1;
        }
        var result = Add(models[0].ManifestPath, Path.GetFullPath(captured), to is null ? null : Path.GetFullPath(to), DateTime.UtcNow)
            .GetAwaiter().GetResult() with { Model = models[0].Name };
        if (json)
        {
            Output.WriteJson(result);
        }
        else if (result.Problem is { } problem)
        {
            Output.Error($"{result.Model}: {problem}");
        }
        else
        {
            Console.Out.WriteLine(Describe(result));
        }
        return result.Problem is null ? 0 : 1;
    }

    private static string Describe(Result r)
    {
        var counts = $"{r.Added} labelled row(s) of {r.Captured} captured ({r.WithoutOutcome} without an outcome yet, {r.WithoutKey} scored without a key)";
        if (r.File is null)
        {
            return $"{r.Model}: nothing to add: {counts}.";
        }
        var missing = r.NotCaptured.Count == 0 ? "" :
            $"{Environment.NewLine}Not captured, left empty: {TextLimits.List(r.NotCaptured)} (a date feature is captured as its parts only).";
        return $"{r.Model}: {counts} written to {r.File}; data.train pinned at sha256 {r.Sha256}.{missing}{Environment.NewLine}" +
            "Review and commit the file and the manifest: the next build trains on them.";
    }

    /// <summary>Writes the new training file and pins the set; the result says what happened or why nothing did.</summary>
    /// <param name="now">Names the new file (<c>captured-yyyyMMddTHHmmssZ</c>) when <paramref name="to"/> is null.</param>
    public static async Task<Result> Add(string manifestPath, string captured, string? to, DateTime now)
    {
        Result Fail(string problem) => new("", null, 0, 0, 0, 0, [], null, problem);
        var diagnostics = new DiagnosticBag();
        if (ManifestParser.ParseFile(manifestPath, diagnostics) is not { } manifest)
        {
            return Fail("the manifest has errors; build the project to see them.");
        }
        if (manifest.Train is not { } train || manifest.Label is not { } label)
        {
            return Fail("the manifest has no data.train and label to add labelled rows to (an imported model is not trained here).");
        }
        if (train.Query is { } query)
        {
            return Fail($"data.train is a {query.Engine.ToName()} query: add the captured rows to the tables it reads (or UNION a captured folder into the SQL), then re-pin with -p:MLOpsUpdateLock=true.");
        }
        var set = DataFileSet.Of(train, manifest.DirectoryPath);
        if (!set.IsSet)
        {
            return Fail($"data.train is the one file '{train.RelativePath}'; make it a folder (move the file into one, e.g. data/train/, and name the folder) so that added files join it.");
        }
        if (set.Files.Count == 0)
        {
            return Fail($"data.train '{train.RelativePath}' has no file yet to take the columns from.");
        }
        if (set.FirstEmpty() is { } empty)
        {
            return Fail($"data.train file '{set.NameOf(empty)}' is empty (0 bytes), or is not a regular file (a named pipe or a device, which is never opened): there is nothing to take the columns from or to pin.");
        }
        if (!Directory.Exists(captured))
        {
            return Fail($"the capture folder '{captured}' does not exist.");
        }

        CapturedRows rows;
        string[] header;
        try
        {
            rows = await CapturedRows.ReadAsync(captured);
            header = await TrainingFile.HeaderAsync(set.Files[0]);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Fail(ex.Message);
        }
        var counted = new Result("", null, rows.Rows.Count, rows.Captured, rows.WithoutKey, rows.WithoutOutcome, [], null, null);
        if (rows.Rows.Count == 0)
        {
            return counted;
        }

        var destination = to ?? Path.Combine(set.BaseDirectory, "captured-" + now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + Path.GetExtension(set.Files[0]));
        if (File.Exists(destination))
        {
            return Fail($"'{destination}' exists already; data add never replaces a file.");
        }
        if (!header.Contains(label, StringComparer.Ordinal))
        {
            return Fail($"the training file '{set.Files[0]}' has no label column '{label}'.");
        }
        var negative = manifest.Task == ModelTask.Binary && manifest.PositiveClass is { } positive
            ? await TrainingFile.OtherValueAsync(set.Files[0], label, positive)
            : null;
        if (manifest.Task == ModelTask.Binary && manifest.PositiveClass is not null && negative is null)
        {
            return Fail($"the training file '{set.Files[0]}' has no label other than the positive class '{manifest.PositiveClass}' to write a negative outcome as.");
        }

        var capturedIndex = rows.Columns.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        var excluded = manifest.Exclude.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var notCaptured = header.Where(h => h != label && !capturedIndex.ContainsKey(h) && !excluded.Contains(h)).ToArray();
        var cells = rows.Rows.Select((values, r) => header.Select(column =>
            column == label ? Label(rows.Outcomes[r], manifest.PositiveClass, negative)
            : capturedIndex.TryGetValue(column, out var index) ? values[index]
            : null).ToArray()).ToArray();

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            await TrainingFile.WriteAsync(destination, header, cells);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail($"'{destination}' cannot be written: {ex.Message}");
        }
        var after = DataFileSet.Of(train, manifest.DirectoryPath);
        if (!after.Files.Contains(Path.GetFullPath(destination), StringComparer.Ordinal))
        {
            File.Delete(destination);
            return Fail($"'{destination}' would not be part of data.train '{train.RelativePath}'; name a file it matches with --to.");
        }
        var sha256 = after.Hash(FileHash.Sha256);
        AtomicFile.WriteAllBytes(manifest.Path, ManifestHashWriter.Rewrite(manifest, new Dictionary<DataFileReference, string> { [train] = sha256 }));
        return counted with { File = Path.GetRelativePath(manifest.DirectoryPath, destination).Replace('\\', '/'), NotCaptured = notCaptured, Sha256 = sha256 };
    }

    /// <summary>An outcome as the training data spells the label: a class name, a number, or a binary label (the positive class and its other value when the manifest names one).</summary>
    private static object Label(object outcome, string? positive, string? negative) => outcome switch
    {
        bool actual when positive is not null => actual ? positive : negative!,
        _ => outcome,
    };
}
