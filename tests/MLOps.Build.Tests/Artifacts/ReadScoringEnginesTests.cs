using Microsoft.Build.Utilities;
using MLOps.Build.Testing;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Artifacts;

/// <summary>The engine each model scores with, as item metadata from its card (the publish check of MLOpsOnnxRuntime=false filters on it).</summary>
public sealed class ReadScoringEnginesTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private static string Fixture(string model) => Path.Combine(TestRepository.Root, "tests", "Fixtures", "Models", model, "modelcard.json");

    [Fact]
    public void Each_model_carries_its_card_s_engine_and_reason()
    {
        var damaged = _repo.Write("damaged/modelcard.json", """{ "schemaVersion": 1, "scoring": """);
        var transformer = _repo.Write("transformer/modelcard.json", """{ "schemaVersion": 2, "scoring": { "engine": "onnxruntime", "reason": "input 'input_ids' has a dynamic dimension 1 ('sequence')" } }""");
        TaskItem Model(string name, string card)
        {
            var item = new TaskItem(name + ".mlmodel.json");
            item.SetMetadata("ModelName", name);
            item.SetMetadata("ModelCardPath", card);
            return item;
        }
        var task = new Tasks.ReadScoringEngines
        {
            BuildEngine = new FakeBuildEngine(),
            Models = [Model("Churn", Fixture("ChurnModel")), Model("Tickets", Fixture("TicketsModel")), Model("Transformer", transformer), Model("Grid", Fixture("GridModel")),
                      Model("Untrained", Path.Combine(_repo.Root, "none", "modelcard.json")), Model("Damaged", damaged)],
        };

        Assert.True(task.Execute());

        var read = task.ScoredModels.ToDictionary(m => m.GetMetadata("ModelName"), m => (m.GetMetadata("ScoringEngine"), m.GetMetadata("ScoringReason")));
        Assert.Equal(("compiled", ""), read["Churn"]);
        Assert.Equal(("compiled", ""), read["Tickets"]);
        Assert.Equal(("onnxruntime", "input 'input_ids' has a dynamic dimension 1 ('sequence')"), read["Transformer"]);
        Assert.Equal(("onnxruntime", "the model card predates compiled scoring"), read["Grid"]);
        Assert.Equal(("", "the model has no model card"), read["Untrained"]);
        Assert.Equal("", read["Damaged"].Item1);
        Assert.StartsWith("the model card cannot be read: ", read["Damaged"].Item2);
        Assert.All(task.ScoredModels, m => Assert.EndsWith(".mlmodel.json", m.ItemSpec));
    }
}
