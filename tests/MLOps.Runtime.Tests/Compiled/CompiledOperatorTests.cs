using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLOps.Build.Trainer.Export.Compiled;
using MLOps.Runtime.Compiled;
using MLOps.Onnx;
using static MLOps.Build.Trainer.Export.Onnx.OnnxModels;
using T = MLOps.Onnx.TensorProto.Types.DataType;

namespace MLOps.Runtime.Tests.Compiled;

/// <summary>
/// Each compiled operator against ONNX Runtime on the same rows: seeded synthetic rows drawn from the graph's own
/// thresholds and vocabularies (values exactly on a split and one float step either side), NaN, ±∞, ±0, wide
/// random values, empty and unseen strings. Outputs must agree within 1e-5 (relative above 1), labels exactly.
/// </summary>
public sealed class CompiledOperatorTests
{
    private const int Rows = 1500;

    private static void AssertMatchesOnnxRuntime(byte[] onnx)
    {
        var (card, mismatch) = CompiledScoringCheck.Run(onnx, OnnxFeeds.Synthetic(onnx, Rows, seed: 7), 1e-5);
        Assert.True(card.Engine == "compiled", card.Reason);
        if (mismatch is not null)
        {
            Assert.Fail(mismatch.Describe());
        }
        Assert.Equal(Rows, card.Rows);
    }

    private static TestGraph Features(int width) => new TestGraph().Input("features", T.Float, width);

    [Theory]
    [InlineData("BRANCH_LEQ", false)]
    [InlineData("BRANCH_LT", false)]
    [InlineData("BRANCH_GTE", false)]
    [InlineData("BRANCH_GT", false)]
    [InlineData("BRANCH_EQ", false)]
    [InlineData("BRANCH_NEQ", false)]
    [InlineData("mixed", false)]
    [InlineData("BRANCH_LEQ", true)]
    [InlineData("mixed", true)]
    public void Tree_regressor_node_modes_and_missing_value_tracking(string mode, bool missingTracks)
    {
        string[] modes = mode == "mixed" ? ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"] : [mode];
        var trees = TreeGraphs.Random(seed: 1, trees: 40, depth: 5, features: 4, modes, missingTracks);
        var onnx = Features(4).Output("y", T.Float, 1)
            .MLNode("TreeEnsembleRegressor", ["features"], ["y"], [.. trees.Nodes, .. TreeGraphs.Weights(trees, "target", 1, 2, spread: false, positive: false), Int("n_targets", 1)])
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }

    [Theory]
    [InlineData("SUM", 1, false)]
    [InlineData("SUM", 3, true)]
    [InlineData("AVERAGE", 1, false)]
    [InlineData("AVERAGE", 3, true)]
    [InlineData("MIN", 1, false)]
    [InlineData("MIN", 3, false)]
    [InlineData("MAX", 1, false)]
    [InlineData("MAX", 3, true)]
    public void Tree_regressor_aggregates_with_base_values(string aggregate, int targets, bool spread)
    {
        var trees = TreeGraphs.Random(seed: 3, trees: 25, depth: 4, features: 3, ["BRANCH_LEQ"], missingTracks: false);
        var onnx = Features(3).Output("y", T.Float, targets)
            .MLNode("TreeEnsembleRegressor", ["features"], ["y"],
                [.. trees.Nodes, .. TreeGraphs.Weights(trees, "target", targets, 4, spread, positive: false), Int("n_targets", targets),
                 String("aggregate_function", aggregate), Floats("base_values", Enumerable.Range(0, targets).Select(t => 0.25f * (t + 1)))])
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }

    [Fact]
    public void Trees_with_more_than_64_leaves_and_fewer_in_one_ensemble()
    {
        // The bit-set traversal takes trees of up to 64 leaves; an ensemble with a bigger one is walked node by node.
        var trees = TreeGraphs.Random(seed: 13, trees: 12, depth: 8, features: 5, ["BRANCH_LEQ"], missingTracks: false);
        Assert.Contains(trees.LeafTrees.GroupBy(t => t), g => g.Count() > 64);
        var onnx = Features(5).Output("y", T.Float, 2)
            .MLNode("TreeEnsembleRegressor", ["features"], ["y"], [.. trees.Nodes, .. TreeGraphs.Weights(trees, "target", 2, 14, spread: false, positive: false), Int("n_targets", 2)])
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }


    /// <summary>
    /// Rows in blocks take two ways through a feature's branches: one pass over them for every row of the block (a
    /// feature with many branches), or each row's own false branches (a feature with few, like a one-hot slot). Both,
    /// with one row alone scored by bit sets (64 trees or more) and by the node walk (fewer); the check compares every
    /// batch row with the same row scored alone, bit for bit. Trees of depth 5 have at most 32 leaves (32-bit sets in
    /// a block), of depth 6 up to 64 (64-bit sets).
    /// </summary>
    [Theory]
    [InlineData(100, 4, 1, false, 5)]
    [InlineData(100, 4, 3, false, 5)]
    [InlineData(100, 4, 3, true, 5)]
    [InlineData(30, 60, 1, false, 5)]
    [InlineData(80, 60, 3, true, 5)]
    [InlineData(100, 4, 3, false, 6)]
    [InlineData(70, 60, 1, true, 6)]
    public void Tree_ensembles_scored_in_blocks_as_one_row_at_a_time(int treeCount, int features, int targets, bool spread, int depth)
    {
        var trees = TreeGraphs.Random(seed: 17, trees: treeCount, depth, features, ["BRANCH_LEQ"], missingTracks: false);
        var onnx = Features(features).Output("y", T.Float, targets)
            .MLNode("TreeEnsembleRegressor", ["features"], ["y"], [.. trees.Nodes, .. TreeGraphs.Weights(trees, "target", targets, 18, spread, positive: false), Int("n_targets", targets)])
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }
    [Fact]
    public void Tree_ensemble_with_NaN_thresholds_scored_as_ONNX_Runtime_scores_it()
    {
        // x ≤ NaN is never true: a hostile or broken model's NaN threshold always sends a row to the false side, which
        // a threshold sorted among the others would not.
        var trees = TreeGraphs.Random(seed: 29, trees: 80, depth: 5, features: 3, ["BRANCH_LEQ"], missingTracks: false);
        var values = trees.Nodes.Single(a => a.Name == "nodes_values");
        for (var i = 0; i < values.Floats.Count; i += 5)
        {
            values.Floats[i] = float.NaN;
        }
        var onnx = Features(3).Output("y", T.Float, 1)
            .MLNode("TreeEnsembleRegressor", ["features"], ["y"], [.. trees.Nodes, .. TreeGraphs.Weights(trees, "target", 1, 30, spread: false, positive: false), Int("n_targets", 1)])
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }

    [Theory]
    [InlineData("NONE", 3)]
    [InlineData("LOGISTIC", 3)]
    [InlineData("SOFTMAX", 3)]
    [InlineData("SOFTMAX_ZERO", 3)]
    [InlineData("PROBIT", 3)]
    [InlineData("LOGISTIC", 1)]
    [InlineData("PROBIT", 1)]
    public void Tree_regressor_post_transforms(string transform, int targets)
    {
        var trees = TreeGraphs.Random(seed: 5, trees: 30, depth: 4, features: 3, ["BRANCH_LEQ"], missingTracks: false);
        var onnx = Features(3).Output("y", T.Float, targets)
            .MLNode("TreeEnsembleRegressor", ["features"], ["y"],
                [.. trees.Nodes, .. TreeGraphs.Weights(trees, "target", targets, 6, spread: false, positive: transform == "PROBIT"), Int("n_targets", targets), String("post_transform", transform)])
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }

    [Theory]
    [InlineData(3, "NONE", true, 0)]
    [InlineData(3, "SOFTMAX", false, 3)]
    [InlineData(3, "LOGISTIC", false, 0)]
    [InlineData(2, "NONE", false, 0)]
    [InlineData(2, "LOGISTIC", false, 2)]
    [InlineData(2, "SOFTMAX", true, 1)]
    public void Tree_classifier_with_string_labels(int classes, string transform, bool spread, int baseValues)
    {
        var trees = TreeGraphs.Random(seed: 9, trees: 20, depth: 4, features: 4, ["BRANCH_LEQ", "BRANCH_LT"], missingTracks: true);
        var onnx = Features(4).Output("label", T.String).Output("scores", T.Float, classes)
            .MLNode("TreeEnsembleClassifier", ["features"], ["label", "scores"],
                [.. trees.Nodes, .. TreeGraphs.Weights(trees, "class", classes, 10, spread, positive: false),
                 TestGraph.Texts("classlabels_strings", [.. Enumerable.Range(0, classes).Select(c => $"class {c}")]),
                 String("post_transform", transform), .. baseValues > 0 ? [Floats("base_values", Enumerable.Range(0, baseValues).Select(b => 0.1f * b))] : Array.Empty<AttributeProto>()])
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }

    [Theory]
    [InlineData(true, "NONE", 0)]
    [InlineData(true, "LOGISTIC", 0)]
    [InlineData(false, "NONE", 0)]
    [InlineData(false, "LOGISTIC", 2)]
    [InlineData(false, "NONE", 1)]
    public void Binary_tree_classifier_voting_for_the_positive_class_only(bool positiveWeights, string transform, int baseValues)
    {
        // scikit-learn's converter writes binary trees this way: weights for class 1 only, ONNX Runtime derives class 0.
        var trees = TreeGraphs.Random(seed: 11, trees: 15, depth: 4, features: 2, ["BRANCH_LEQ"], missingTracks: false);
        var weights = TreeGraphs.Weights(trees, "class", 1, 12, spread: false, positive: positiveWeights);
        weights[2] = Ints("class_ids", Enumerable.Repeat(1L, trees.LeafNodes.Length));
        var onnx = Features(2).Output("label", T.Int64).Output("probabilities", T.Float, 2)
            .MLNode("TreeEnsembleClassifier", ["features"], ["label", "probabilities"],
                [.. trees.Nodes, .. weights, Ints("classlabels_int64s", [0, 1]), String("post_transform", transform),
                 .. baseValues > 0 ? [Floats("base_values", Enumerable.Range(0, baseValues).Select(b => 0.05f * (b + 1)))] : Array.Empty<AttributeProto>()])
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }

    [Theory]
    [InlineData(1, "NONE")]
    [InlineData(2, "NONE")]
    [InlineData(1, "PROBIT")]
    [InlineData(3, "SOFTMAX")]
    public void Linear_regressor(int targets, string transform)
    {
        var onnx = Features(3).Output("y", T.Float, targets)
            .MLNode("LinearRegressor", ["features"], ["y"], Int("targets", targets), String("post_transform", transform),
                Floats("coefficients", Enumerable.Range(0, 3 * targets).Select(i => (i % 5) * 0.1f - 0.2f)),
                Floats("intercepts", Enumerable.Range(0, targets).Select(t => t * 0.5f)))
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }

    [Theory]
    [InlineData(3, "NONE", true)]
    [InlineData(3, "SOFTMAX", false)]
    [InlineData(3, "LOGISTIC", true)]
    [InlineData(1, "LOGISTIC", false)]
    [InlineData(1, "NONE", true)]
    public void Linear_classifier(int classes, string transform, bool stringLabels)
    {
        var labels = classes == 1 ? 2 : classes;
        var onnx = Features(3).Output("label", stringLabels ? T.String : T.Int64).Output("scores", T.Float, classes == 1 ? 2 : classes)
            .MLNode("LinearClassifier", ["features"], ["label", "scores"], String("post_transform", transform),
                Floats("coefficients", Enumerable.Range(0, 3 * classes).Select(i => (i % 4) * 0.3f - 0.4f)),
                Floats("intercepts", Enumerable.Range(0, classes).Select(c => c * 0.2f - 0.1f)),
                stringLabels ? TestGraph.Texts("classlabels_strings", [.. Enumerable.Range(0, labels).Select(c => $"c{c}")]) : Ints("classlabels_ints", Enumerable.Range(0, labels).Select(c => (long)c * 10)))
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }

    [Fact]
    public void Featurization_as_ML_NET_and_other_exporters_write_it()
    {
        var onnx = new TestGraph()
            .Input("Age (years)", T.Float, 1).Input("plan", T.String, 1).Input("vitals", T.Float, 3).Input("code", T.Int64, 1)
            .Output("features", T.Float, 12).Output("normalized", T.Float, 3).Output("flag", T.Float, 1).Output("plan id", T.Int64, 1)
            .Output("code name", T.String, 1).Output("max norm", T.Float, 3).Output("l1 norm", T.Float, 3)
            .MLNode("Imputer", ["Age (years)"], ["age"], Floats("imputed_value_floats", [41.5f]), Float("replaced_value_float", float.NaN))
            .MLNode("Imputer", ["vitals"], ["vitals0"], Floats("imputed_value_floats", [36.6f, 80f, 1.5f]), Float("replaced_value_float", float.NaN))
            .MLNode("LabelEncoder", ["plan"], ["plan id"], TestGraph.Texts("keys_strings", "basic", "plus", "pro, annual"), Ints("values_int64s", [1, 2, 3]), Int("default_int64", 0))
            .Node("Cast", ["plan id"], ["plan key"], Int("to", 12))
            .Node("Cast", ["plan key"], ["plan int"], Int("to", 7))
            .MLNode("OneHotEncoder", ["plan int"], ["plan onehot"], Ints("cats_int64s", [1, 2, 3]), Int("zeros", 1))
            .MLNode("OneHotEncoder", ["plan"], ["plan direct"], TestGraph.Texts("cats_strings", "plus", "basic"), Int("zeros", 1))
            .MLNode("CategoryMapper", ["code"], ["code name"], TestGraph.Texts("cats_strings", "low", "mid", "high"), Ints("cats_int64s", [1, 5, 12]), String("default_string", "other"))
            .MLNode("Scaler", ["vitals0"], ["scaled"], Floats("offset", [36f, 70f, 1f]), Floats("scale", [2f, 0.1f, 0.5f]))
            .MLNode("Normalizer", ["scaled"], ["normalized"], String("norm", "L2"))
            .MLNode("Normalizer", ["scaled"], ["max norm"], String("norm", "MAX"))
            .MLNode("Normalizer", ["scaled"], ["l1 norm"], String("norm", "L1"))
            .MLNode("Binarizer", ["age"], ["flag"], Float("threshold", 50f))
            .MLNode("FeatureVectorizer", ["age", "plan onehot", "scaled", "plan direct", "flag"], ["vector"], Ints("inputdimensions", [1, 3, 3, 2, 3]))
            .Node("Cast", ["vector"], ["features"], Int("to", 1))
            .Build();
        AssertMatchesOnnxRuntime(onnx);
    }

    [Fact]
    public void Element_wise_reductions_and_shapes()
    {
        var onnx = Features(3)
            .Output("sum", T.Float, 3).Output("picked", T.Float, 3).Output("argmax", T.Int64, 1).Output("softmax", T.Float, 3)
            .Output("total", T.Float, 1).Output("largest", T.Float).Output("flat", T.Float, 3).Output("bools", T.Bool, 3)
            .Constant("scale", [2f, -1f, 0.5f], 3).Constant("offset", [1f], 1, 1).Constant("zero", [0f]).Constant("one", [1f])
            .Int64Constant("shape", [-1, 3, 1], 3).Int64Constant("axes", [2], 1).Int64Constant("last", [1], 1)
            .Node("Mul", ["features", "scale"], ["scaled"])
            .Node("Add", ["scaled", "offset"], ["shifted"])
            .Node("Sub", ["shifted", "one"], ["less one"])
            .Node("Div", ["less one", "scale"], ["divided"])
            .Node("Sigmoid", ["divided"], ["sigmoid"])
            .Node("Clip", ["divided", "zero", "one"], ["clipped"])
            .Node("Sum", ["sigmoid", "clipped", "features"], ["sum"])
            .Node("Max", ["sigmoid", "clipped"], ["max"])
            .Node("Min", ["max", "features"], ["min"])
            .Node("Greater", ["features", "zero"], ["positive"])
            .Node("Not", ["positive"], ["bools"])
            .Node("Where", ["positive", "min", "sigmoid"], ["picked"])
            .Node("ArgMax", ["features"], ["argmax"], Int("axis", 1), Int("keepdims", 1))
            .Node("Abs", ["divided"], ["abs"])
            .Node("Neg", ["abs"], ["negative"])
            .Node("Exp", ["negative"], ["exp"])
            .Node("Softmax", ["exp"], ["softmax"], Int("axis", -1))
            .Node("ReduceSum", ["exp", "last"], ["total"], Int("keepdims", 1))
            .Node("ReduceMax", ["exp"], ["largest"], Ints("axes", [1]), Int("keepdims", 0))
            .Node("Reshape", ["clipped", "shape"], ["column"])
            .Node("Squeeze", ["column", "axes"], ["squeezed"])
            .Node("Identity", ["squeezed"], ["flat"])
            .Build(opset: 13);
        AssertMatchesOnnxRuntime(onnx);
    }

    /// <summary>
    /// Sigmoid bit for bit as ONNX Runtime's MLAS computes it, not 1/(1+e^-x): near 1 the two round differently, and a
    /// FastTree one-versus-all model whose classes all saturate then picked another label than ONNX Runtime
    /// (MLOPS2034 on penguins: scores 0.5/0/0.5 compiled, 0.49999997/0/0.5 in ONNX Runtime).
    /// </summary>
    [Fact]
    public void Sigmoid_is_bit_identical_to_ONNX_Runtime_across_its_range_and_past_saturation()
    {
        var onnx = new TestGraph().Input("x", T.Float, 1).Output("y", T.Float, 1).Node("Sigmoid", ["x"], ["y"]).Build(opset: 13);
        var random = new Random(3);
        var values = Enumerable.Range(0, 200_000).Select(i => i < 100_000 ? -20f + (40f * i / 100_000) : (float)((random.NextDouble() - 0.5) * 60))
            .Concat([0f, -0f, 18f, -18f, 16.6f, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.Epsilon]).ToArray();

        var compiled = (float[])CompiledModel.Compile(onnx).Run(new Dictionary<string, Array> { ["x"] = values }, values.Length)["y"];
        using var session = new InferenceSession(onnx);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(values, [values.Length, 1]))]);
        var expected = results.First().AsTensor<float>().ToArray();

        var differ = Enumerable.Range(0, values.Length).Where(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(compiled[i])).ToArray();
        Assert.True(differ.Length == 0, $"{differ.Length} differ, e.g. {string.Join("; ", differ.Take(5).Select(i => $"{values[i]:R}: ONNX Runtime {expected[i]:R}, compiled {compiled[i]:R}"))}");
    }

    [Fact]
    public void A_graph_outside_the_subset_is_scored_by_ONNX_Runtime_and_the_reason_names_the_node()
    {
        var onnx = Features(3).Output("y", T.Float, 2)
            .Constant("weights", [1, 2, 3, 4, 5, 6], 3, 2)
            .Node("MatMul", ["features", "weights"], ["y"])
            .Build();

        var (card, mismatch) = CompiledScoringCheck.Run(onnx, OnnxFeeds.Synthetic(onnx, 10, 1), 1e-5);

        Assert.Null(mismatch);
        Assert.Equal("onnxruntime", card.Engine);
        Assert.Equal("MatMul node 'matmul_0': operator 'MatMul' is outside the compiled subset", card.Reason);
    }

    [Fact]
    public void Shapes_the_row_kernels_cannot_honour_are_left_to_ONNX_Runtime()
    {
        // [N, 3, 1] × [3] broadcasts to [N, 3, 3]; a softmax over the last axis of [N, 2, 3] is per group of three.
        var outer = new TestGraph().Input("x", T.Float, 3, 1).Output("y", T.Float, 3, 3).Constant("w", [1, 2, 3], 3).Node("Mul", ["x", "w"], ["y"]).Build();
        var grouped = new TestGraph().Input("x", T.Float, 2, 3).Output("y", T.Float, 2, 3).Node("Softmax", ["x"], ["y"], Int("axis", -1)).Build();
        var wide = new TestGraph().Input("x", T.Int64, 1).Output("y", T.String, 1)
            .MLNode("CategoryMapper", ["x"], ["y"], TestGraph.Texts("cats_strings", "a", "b"), Ints("cats_int64s", [1, 1L << 40])).Build();

        Assert.False(MLOps.Runtime.Compiled.CompiledModel.TryCompile(outer, out _, out var outerReason));
        Assert.False(MLOps.Runtime.Compiled.CompiledModel.TryCompile(grouped, out _, out var groupedReason));
        Assert.False(MLOps.Runtime.Compiled.CompiledModel.TryCompile(wide, out _, out var wideReason));
        Assert.Contains("broadcasting [3, 1] against [3]", outerReason);
        Assert.Contains("only the last axis of a [rows, n] tensor", groupedReason);
        Assert.Contains("int64 categories beyond ±2^24", wideReason);
    }

    [Fact]
    public void Dynamic_dimensions_and_double_inputs_are_left_to_ONNX_Runtime()
    {
        var dynamic = new TestGraph().Input("tokens", T.Float, -1).Output("y", T.Float, -1).Node("Relu", ["tokens"], ["y"]).Build();
        var doubles = new TestGraph().Input("x", T.Double, 1).Output("y", T.Double, 1).Node("Relu", ["x"], ["y"]).Build();

        Assert.False(MLOps.Runtime.Compiled.CompiledModel.TryCompile(dynamic, out _, out var dynamicReason));
        Assert.False(MLOps.Runtime.Compiled.CompiledModel.TryCompile(doubles, out _, out var doubleReason));
        Assert.Contains("input 'tokens' has a dynamic dimension 1", dynamicReason);
        Assert.Contains("input 'x' holds element type 11", doubleReason);
    }
}
