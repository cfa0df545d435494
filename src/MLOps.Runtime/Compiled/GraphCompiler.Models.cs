using MLOps.Onnx;
using MLOps.Runtime.Compiled.Kernels;

namespace MLOps.Runtime.Compiled;

internal sealed partial class GraphCompiler
{
    private void TreeEnsembleRegressor(NodeProto node)
    {
        node.RejectTensorForms();
        var input = NumberInput(0);
        var targets = (int)node.Int("n_targets", 1);
        var trees = TreeEnsembleBuilder.Build(node, "target", targets, input.Width);
        var aggregate = node.String("aggregate_function", "SUM") switch
        {
            "SUM" => Aggregate.Sum,
            "AVERAGE" => Aggregate.Average,
            "MIN" => Aggregate.Min,
            "MAX" => Aggregate.Max,
            var other => throw new UnsupportedGraphException($"aggregate_function '{other}'"),
        };
        var output = NewOutput(ElementType.Float, [targets]);
        _kernels.Add(new TreeRegressorKernel(trees, input.Offset, output.Offset, aggregate, node.Floats("base_values"), Transforms.Parse(node.String("post_transform", "NONE"))));
    }

    private void TreeEnsembleClassifier(NodeProto node)
    {
        node.RejectTensorForms();
        var input = NumberInput(0);
        var (labels, names, stringLabels) = ClassLabels(node);
        var classes = stringLabels ? names.Length : labels.Length;
        if (classes < 2)
        {
            throw new UnsupportedGraphException("a classifier with fewer than two classes");
        }
        var trees = TreeEnsembleBuilder.Build(node, "class", classes, input.Width);
        var weightedClasses = node.Ints("class_ids").Distinct().Count();
        var label = NewOutput(stringLabels ? ElementType.String : ElementType.Int64, [], 0);
        var scores = NewOutput(ElementType.Float, [classes], 1);
        _kernels.Add(new TreeClassifierKernel(trees, input.Offset, label.Offset, stringLabels, scores.Offset, node.Floats("base_values"),
            Transforms.Parse(node.String("post_transform", "NONE")), binaryCase: classes == 2 && weightedClasses == 1,
            weightsAllPositive: node.Floats("class_weights").All(w => w >= 0))
        {
            ClassLabels = labels,
            LabelNames = names,
        });
    }

    private void LinearRegressor(NodeProto node)
    {
        var input = NumberInput(0);
        var targets = (int)node.Int("targets", 1);
        var coefficients = node.Floats("coefficients");
        if (coefficients.Length != targets * input.Width)
        {
            throw new UnsupportedGraphException($"{coefficients.Length} coefficients for {targets} targets of {input.Width} features");
        }
        var output = NewOutput(ElementType.Float, [targets]);
        _kernels.Add(new LinearRegressorKernel(input.Offset, input.Width, output.Offset, coefficients, node.Floats("intercepts"), targets, Transforms.Parse(node.String("post_transform", "NONE"))));
    }

    private void LinearClassifier(NodeProto node)
    {
        var input = NumberInput(0);
        var (labels, names, stringLabels) = ClassLabels(node);
        var intercepts = node.Floats("intercepts");
        var classCount = intercepts.Length;
        var coefficients = node.Floats("coefficients");
        if (classCount == 0 || coefficients.Length != classCount * input.Width)
        {
            throw new UnsupportedGraphException($"{coefficients.Length} coefficients and {classCount} intercepts for {input.Width} features");
        }
        var addSecondClass = classCount == 1 && (stringLabels ? names.Length : labels.Length) == 2;
        var label = NewOutput(stringLabels ? ElementType.String : ElementType.Int64, [], 0);
        var scores = NewOutput(ElementType.Float, [addSecondClass ? 2 : classCount], 1);
        _kernels.Add(new LinearClassifierKernel(input.Offset, input.Width, label.Offset, stringLabels, scores.Offset, coefficients, intercepts, classCount,
            Transforms.Parse(node.String("post_transform", "NONE")), addSecondClass)
        {
            ClassLabels = labels,
            LabelNames = names,
        });
    }

    private static (float[] Labels, string[] Names, bool Strings) ClassLabels(NodeProto node)
    {
        if (node.Has("classlabels_strings"))
        {
            return ([], node.Strings("classlabels_strings"), true);
        }
        var ints = node.Has("classlabels_int64s") ? node.Ints("classlabels_int64s") : node.Ints("classlabels_ints");
        return (OnnxAttributes.ExactIntegers(ints, "class labels"), [], false);
    }
}
