using MLOps.Cli.Inspect;
using Spectre.Console;

namespace MLOps.Cli.Commands;

/// <summary>
/// <c>dotnet mlops inspect &lt;assembly|nupkg|folder&gt;</c>: every model embedded in a built app or package, with the
/// provenance the build recorded beside it (data hashes and rows, commit, metrics, gates, acceptance), read without
/// running anything, and whether each embedded model is the one its provenance describes.
/// </summary>
public static class InspectCommand
{
    public sealed record InspectResult(string Path, IReadOnlyList<EmbeddedProvenance> Models, IReadOnlyList<string> Problems);

    /// <param name="publicKeyPath">With <c>--verify</c>: the PEM public key the provenance must be signed with.</param>
    public static int Run(string path, bool json, string? publicKeyPath = null)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            Output.Error($"'{path}' does not exist: give a built assembly (.dll), a NuGet package (.nupkg) or a folder (bin/, a publish folder).");
            return 2;
        }
        var problems = new List<string>();
        IReadOnlyList<EmbeddedProvenance> models = AssemblyModels.Find(full, problems);
        if (publicKeyPath is not null)
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(publicKeyPath));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                Output.Error($"'{publicKeyPath}' is not an ECDSA public key in PEM ({ex.Message.Trim()}).");
                return 2;
            }
            models = models.Select(m => m with { Signature = SignatureCheck.Verify(m, key) }).ToList();
        }
        if (json)
        {
            Output.WriteJson(new InspectResult(full, models, problems));
        }
        else
        {
            Print(models, problems);
        }
        if (models.Count == 0)
        {
            Output.Error($"No model with provenance in '{path}' (built with MLOps.Build before provenance, or no model was trained into it).");
            return 1;
        }
        // An embedded model that is not the one its provenance describes is tampering or a broken build: fail.
        return problems.Count > 0 || models.Any(m => m.OnnxMatches == false || (m.Signature is { } signature && !signature.StartsWith("valid", StringComparison.Ordinal))) ? 1 : 0;
    }

    private static void Print(IReadOnlyList<EmbeddedProvenance> models, IReadOnlyList<string> problems)
    {
        foreach (var model in models)
        {
            var p = model.Provenance;
            AnsiConsole.MarkupLine($"[bold]{Output.Text(p.Name)}[/] {Output.Text(p.Version)} ({Output.Text(p.Task)}) in {Output.Text(model.Assembly)}");
            var facts = Output.Table("fact", "value");
            facts.AddRow("commit", Output.Text(p.Commit ?? "— (built outside git)"));
            facts.AddRow("manifest", Output.Text($"{p.Manifest.Path} sha256 {p.Manifest.Sha256}"));
            foreach (var data in p.Data)
            {
                var source = data.Query is { } query ? $" ({query.Engine} query {Output.Short(query.SqlSha256)})" : "";
                facts.AddRow(Output.Text(data.Role), Output.Text($"{data.Path}{source}: {data.Rows:N0} rows, sha256 {data.Sha256}"));
            }
            facts.AddRow("trainer", Output.Text(p.Trainer is { } t ? $"{t.Name}, seed {t.Seed}" : "— (imported)"));
            facts.AddRow("metrics", Output.Text(string.Join(", ", p.Metrics.Select(m => $"{m.Key} {Output.Number(m.Value)}"))));
            foreach (var gate in p.Gates)
            {
                facts.AddRow("gate", Output.Text($"{gate.Metric} {gate.Bounds}: {gate.Outcome}{(gate.Value is { } v ? $" ({Output.Number(v)})" : "")}"));
            }
            facts.AddRow("accepted", Output.Text(p.Accepted is not { } a ? "— (no lock file)"
                : !a.IsAcceptedModel ? $"no: {a.Lock} accepts {Output.Short(a.ModelSha256)}"
                : a.By is null ? $"yes, in {a.Lock} (not committed yet)"
                : $"yes, by {a.By} at {a.At} ({Output.Short(a.Commit!)})"));
            facts.AddRow("onnx", Output.Text($"sha256 {p.Onnx.Sha256}" + model.OnnxMatches switch
            {
                true => " (the embedded model)",
                false => " — THE EMBEDDED MODEL IS ANOTHER ONE",
                null => " (model not embedded here)",
            }));
            if (model.Signature is { } signature)
            {
                facts.AddRow("signature", Output.Text(signature));
            }
            facts.AddRow("tools", Output.Text($"MLOps.Build {p.Tool.Version}, ML.NET {p.Tool.MLNet}, ONNX Runtime {p.Tool.OnnxRuntime}"));
            AnsiConsole.Write(facts);
        }
        foreach (var problem in problems)
        {
            Output.Error(problem);
        }
    }
}
