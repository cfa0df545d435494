using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MLOps.Build.Provenance;

/// <summary>
/// A project's ML bill of materials in CycloneDX 1.6 JSON: a <c>machine-learning-model</c> component per model (its
/// model card: task, trainer, datasets, test metrics; its ONNX hash; provenance facts as properties), a <c>data</c>
/// component per data entry (hash, rows, query), and the dependencies: the project on its models, each model on its
/// data and on MLOps.Runtime. Deterministic: the same models give the same bytes (no timestamp; the serial number is
/// derived from the content), so a BOM only changes when a model does.
/// </summary>
public static class MachineLearningBom
{
    public const string SpecVersion = "1.6";

    /// <param name="projectName">The application or library the models are built into.</param>
    /// <param name="runtimeVersion">The MLOps.Runtime version the project scores with.</param>
    public static byte[] Write(string projectName, string projectVersion, string toolVersion, string runtimeVersion, IReadOnlyList<ProvenanceStatement> models)
    {
        var body = Body(projectName, projectVersion, toolVersion, runtimeVersion, models, serialNumber: null);
        return Body(projectName, projectVersion, toolVersion, runtimeVersion, models, SerialNumber(body));
    }

    private static byte[] Body(string projectName, string projectVersion, string toolVersion, string runtimeVersion,
        IReadOnlyList<ProvenanceStatement> models, string? serialNumber)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var runtime = $"pkg:nuget/MLOps.Runtime@{runtimeVersion}";
            json.WriteStartObject();
            json.WriteString("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
            json.WriteString("bomFormat", "CycloneDX");
            json.WriteString("specVersion", SpecVersion);
            if (serialNumber is not null)
            {
                json.WriteString("serialNumber", serialNumber);
            }
            json.WriteNumber("version", 1);
            json.WriteStartObject("metadata");
            json.WriteStartObject("tools");
            json.WriteStartArray("components");
            json.WriteStartObject();
            json.WriteString("type", "application");
            json.WriteString("name", "MLOps.Build");
            json.WriteString("version", toolVersion);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("component");
            json.WriteString("type", "application");
            json.WriteString("bom-ref", ProjectRef(projectName));
            json.WriteString("name", projectName);
            json.WriteString("version", projectVersion);
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartArray("components");
            foreach (var model in models)
            {
                WriteModel(json, model);
                foreach (var data in model.Data)
                {
                    WriteData(json, model, data);
                }
            }
            json.WriteStartObject();
            json.WriteString("type", "library");
            json.WriteString("bom-ref", runtime);
            json.WriteString("name", "MLOps.Runtime");
            json.WriteString("version", runtimeVersion);
            json.WriteString("purl", runtime);
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("dependencies");
            json.WriteStartObject();
            json.WriteString("ref", ProjectRef(projectName));
            json.WriteStartArray("dependsOn");
            foreach (var model in models)
            {
                json.WriteStringValue(ModelRef(model));
            }
            json.WriteEndArray();
            json.WriteEndObject();
            foreach (var model in models)
            {
                json.WriteStartObject();
                json.WriteString("ref", ModelRef(model));
                json.WriteStartArray("dependsOn");
                foreach (var data in model.Data)
                {
                    json.WriteStringValue(DataRef(model, data));
                }
                json.WriteStringValue(runtime);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteStartObject();
            json.WriteString("ref", runtime);
            json.WriteStartArray("dependsOn");
            json.WriteEndArray();
            json.WriteEndObject();
            foreach (var model in models)
            {
                foreach (var data in model.Data)
                {
                    json.WriteStartObject();
                    json.WriteString("ref", DataRef(model, data));
                    json.WriteStartArray("dependsOn");
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void WriteModel(Utf8JsonWriter json, ProvenanceStatement model)
    {
        json.WriteStartObject();
        json.WriteString("type", "machine-learning-model");
        json.WriteString("bom-ref", ModelRef(model));
        json.WriteString("name", model.Name);
        json.WriteString("version", model.Version);
        json.WriteString("description", $"{model.Task} model{(model.Label is { } label ? $" of '{label}'" : "")}, embedded as MLOps.Models.{model.Name}.onnx");
        WriteHash(json, model.Onnx.Sha256);
        json.WriteStartObject("modelCard");
        json.WriteStartObject("modelParameters");
        if (model.Trainer is not null)
        {
            // Trained from a label by the build; an imported model's learning is not known here.
            json.WriteStartObject("approach");
            json.WriteString("type", "supervised");
            json.WriteEndObject();
        }
        json.WriteString("task", TaskName(model.Task));
        if (model.Trainer is { } trainer)
        {
            json.WriteString("architectureFamily", trainer.Name);
        }
        json.WriteStartArray("datasets");
        foreach (var data in model.Data)
        {
            json.WriteStartObject();
            json.WriteString("ref", DataRef(model, data));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("inputs");
        json.WriteStartObject();
        json.WriteString("format", "tabular");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("quantitativeAnalysis");
        json.WriteStartArray("performanceMetrics");
        foreach (var metric in model.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("type", metric.Key);
            json.WriteString("value", metric.Value.ToString("R", CultureInfo.InvariantCulture));
            json.WriteString("slice", "test set");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        WriteProperties(json, Properties(model));
        json.WriteEndObject();
    }

    private static IEnumerable<(string Name, string? Value)> Properties(ProvenanceStatement model)
    {
        yield return ("mlops:manifest", model.Manifest.Path);
        yield return ("mlops:manifest:sha256", model.Manifest.Sha256);
        yield return ("mlops:commit", model.Commit);
        yield return ("mlops:fingerprint", model.Fingerprint);
        yield return ("mlops:trainer:seed", model.Trainer?.Seed.ToString(CultureInfo.InvariantCulture));
        yield return ("mlops:mlnet:version", model.Tool.MLNet);
        yield return ("mlops:onnxruntime:version", model.Tool.OnnxRuntime);
        foreach (var gate in model.Gates)
        {
            yield return ($"mlops:gate:{gate.Metric}", $"{gate.Bounds}: {gate.Outcome}");
        }
        if (model.Accepted is { } accepted)
        {
            yield return ("mlops:accepted", accepted.IsAcceptedModel ? "true" : "false");
            yield return ("mlops:accepted:lock", accepted.Lock);
            yield return ("mlops:accepted:by", accepted.By);
            yield return ("mlops:accepted:at", accepted.At);
            yield return ("mlops:accepted:commit", accepted.Commit);
        }
    }

    private static void WriteData(Utf8JsonWriter json, ProvenanceStatement model, ProvenanceData data)
    {
        json.WriteStartObject();
        json.WriteString("type", "data");
        json.WriteString("bom-ref", DataRef(model, data));
        json.WriteString("name", data.Path);
        WriteHash(json, data.Sha256);
        json.WriteStartArray("data");
        json.WriteStartObject();
        json.WriteString("type", "dataset");
        json.WriteString("name", $"{model.Name} {data.Role}");
        json.WriteStartObject("contents");
        WriteProperties(json,
        [
            ("mlops:rows", data.Rows.ToString(CultureInfo.InvariantCulture)),
            ("mlops:query:engine", data.Query?.Engine),
            ("mlops:query:sqlSha256", data.Query?.SqlSha256),
            ("mlops:query:connectionVariable", data.Query?.Connection),
        ]);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteHash(Utf8JsonWriter json, string sha256)
    {
        json.WriteStartArray("hashes");
        json.WriteStartObject();
        json.WriteString("alg", "SHA-256");
        json.WriteString("content", sha256);
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteProperties(Utf8JsonWriter json, IEnumerable<(string Name, string? Value)> properties)
    {
        json.WriteStartArray("properties");
        foreach (var (name, value) in properties.Where(p => p.Value is not null))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("value", value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static string TaskName(string task) => task switch
    {
        "binary" => "binary classification",
        "multiclass" => "multiclass classification",
        "regression" => "regression",
        _ => "imported ONNX model",
    };

    private static string ProjectRef(string project) => "project:" + project;

    private static string ModelRef(ProvenanceStatement model) => "model:" + model.Name;

    private static string DataRef(ProvenanceStatement model, ProvenanceData data) => $"data:{model.Name}:{data.Role}";

    /// <summary>A UUID (RFC 4122 version 5 layout) from the SHA-256 of the BOM without it: the same content, the same serial number.</summary>
    private static string SerialNumber(byte[] body)
    {
        var hash = Hashing.FileHash.Sha256(body);
        var bytes = Enumerable.Range(0, 16).Select(i => Convert.ToByte(hash.Substring(i * 2, 2), 16)).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = new StringBuilder();
        foreach (var b in bytes)
        {
            hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        var text = hex.ToString();
        return $"urn:uuid:{text.Substring(0, 8)}-{text.Substring(8, 4)}-{text.Substring(12, 4)}-{text.Substring(16, 4)}-{text.Substring(20)}";
    }
}
