using MLOps.Onnx;
using MLOps.Runtime.Compiled.Kernels;
using static MLOps.Runtime.Compiled.Kernels.Operations;

namespace MLOps.Runtime.Compiled;

internal sealed partial class GraphCompiler
{
    /// <summary>The operators compiled, by domain: what a build message lists when a graph falls outside them.</summary>
    public static readonly IReadOnlyList<string> Operators =
    [
        "Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Cast", "Constant",
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual",
        "And", "Or", "Xor", "Not", "IsNaN", "Where", "Sigmoid", "Exp", "Log", "Abs", "Neg", "Sqrt", "Reciprocal", "Relu",
        "Tanh", "Floor", "Ceil", "Clip", "Softmax", "LogSoftmax", "ArgMax", "ArgMin", "ReduceSum", "ReduceMean",
        "ReduceMax", "ReduceMin", "Concat",
        "ai.onnx.ml: FeatureVectorizer", "Imputer", "Scaler", "Normalizer", "Binarizer", "LabelEncoder", "CategoryMapper",
        "OneHotEncoder", "TreeEnsembleRegressor", "TreeEnsembleClassifier", "LinearRegressor", "LinearClassifier",
        "com.microsoft: Tokenizer, with the LabelEncoder, Cast and TfIdfVectorizer (TF) after it: ML.NET's text featurization",
    ];

    private void CompileNode(NodeProto node)
    {
        if (node.Domain == MicrosoftDomain && node.OpType == "Tokenizer")
        {
            TextFeaturization(node);
            return;
        }
        if (node.Domain is not ("" or "ai.onnx" or "ai.onnx.ml"))
        {
            throw new UnsupportedGraphException($"operator '{node.OpType}' of domain '{node.Domain}' is outside the compiled subset");
        }
        switch (node.OpType)
        {
            case "Identity":
                var source = Input(0);
                Alias(Output(), source, source.Type, source.RowShape);
                break;
            case "Reshape":
                Reshape(RowInput(0), ConstantNumbers(1) ?? node.Ints("shape").Select(v => (float)v).ToArray());
                break;
            case "Flatten":
                if (node.Int("axis", 1) != 1)
                {
                    throw new UnsupportedGraphException("only axis 1 is compiled");
                }
                var flat = RowInput(0);
                Alias(Output(), flat, flat.Type, [flat.Width]);
                break;
            case "Squeeze":
                Squeeze(RowInput(0), ConstantNumbers(1)?.Select(v => (long)v).ToArray() ?? node.Ints("axes"));
                break;
            case "Unsqueeze":
                Unsqueeze(RowInput(0), ConstantNumbers(1)?.Select(v => (long)v).ToArray() ?? node.Ints("axes"));
                break;
            case "Cast":
                Cast(RowInput(0), (int)node.Int("to", 1));
                break;
            case "Constant":
                var tensor = node.Find("value")?.T ?? throw new UnsupportedGraphException("only a 'value' tensor is compiled");
                tensor.Name = Output();
                _constants[tensor.Name] = tensor;
                break;
            case "Add": Binary<Add>(); break;
            case "Sub": Binary<Sub>(); break;
            case "Mul": Binary<Mul>(); break;
            case "Div":
                if (Input(0).Type is ElementType.Int64 or ElementType.Int32)
                {
                    throw new UnsupportedGraphException("integer division (which truncates) is not compiled");
                }
                Binary<Div>();
                break;
            case "Pow": Binary<Pow>(); break;
            case "Max": Variadic<Max>(); break;
            case "Min": Variadic<Min>(); break;
            case "Sum": Variadic<Add>(); break;
            case "Equal": Binary<Equal>(ElementType.Bool); break;
            case "Greater": Binary<Greater>(ElementType.Bool); break;
            case "Less": Binary<Less>(ElementType.Bool); break;
            case "GreaterOrEqual": Binary<GreaterOrEqual>(ElementType.Bool); break;
            case "LessOrEqual": Binary<LessOrEqual>(ElementType.Bool); break;
            case "And": Binary<And>(ElementType.Bool); break;
            case "Or": Binary<Or>(ElementType.Bool); break;
            case "Xor": Binary<Xor>(ElementType.Bool); break;
            case "Not": Unary<Not>(ElementType.Bool); break;
            case "IsNaN": Unary<IsNaN>(ElementType.Bool); break;
            case "Sigmoid": Unary<Sigmoid>(); break;
            case "Exp": Unary<Exp>(); break;
            case "Log": Unary<Log>(); break;
            case "Abs": Unary<Abs>(); break;
            case "Neg": Unary<Neg>(); break;
            case "Sqrt": Unary<Sqrt>(); break;
            case "Reciprocal": Unary<Reciprocal>(); break;
            case "Relu": Unary<Relu>(); break;
            case "Tanh": Unary<Tanh>(); break;
            case "Floor": Unary<Floor>(); break;
            case "Ceil": Unary<Ceil>(); break;
            case "Clip": Clip(); break;
            case "Where": Where(); break;
            case "Softmax":
            case "LogSoftmax":
                var logits = NumberInput(0);
                RequireLastAxis(logits, node.Int("axis", -1));
                _kernels.Add(new SoftmaxKernel(logits.Offset, NewOutput(ElementType.Float, logits.RowShape).Offset, logits.Width, node.OpType == "LogSoftmax"));
                break;
            case "ArgMax":
            case "ArgMin":
                var scores = NumberInput(0);
                RequireLastAxis(scores, node.Int("axis", 0));
                var kept = node.Int("keepdims", 1) == 1 ? [.. scores.RowShape[..^1], 1] : scores.RowShape[..^1];
                _kernels.Add(new ArgExtremeKernel(scores.Offset, NewOutput(ElementType.Int64, kept).Offset, scores.Width, node.OpType == "ArgMax", node.Int("select_last_index", 0) == 1));
                break;
            case "ReduceSum":
            case "ReduceMean":
            case "ReduceMax":
            case "ReduceMin":
                Reduce(node);
                break;
            case "Concat":
                Concat(node);
                break;
            case "FeatureVectorizer":
                FeatureVectorizer(node);
                break;
            case "Imputer":
                Imputer(node);
                break;
            case "Scaler":
                var scaled = NumberInput(0);
                var (offset, scale) = (Nonempty(node.Floats("offset"), 0f), Nonempty(node.Floats("scale"), 1f));
                if ((offset.Length != 1 && offset.Length != scaled.Width) || (scale.Length != 1 && scale.Length != scaled.Width))
                {
                    throw new UnsupportedGraphException($"offset and scale of lengths {offset.Length} and {scale.Length} for {scaled.Width} values a row");
                }
                _kernels.Add(new ScalerKernel(scaled.Offset, NewOutput(ElementType.Float, scaled.RowShape).Offset, scaled.Width, offset, scale));
                break;
            case "Normalizer":
                var normalized = NumberInput(0);
                RequireLastAxis(normalized, -1);
                var norm = node.String("norm", "MAX") switch
                {
                    "MAX" => NormKind.Max,
                    "L1" => NormKind.L1,
                    "L2" => NormKind.L2,
                    var other => throw new UnsupportedGraphException($"norm '{other}' is not ONNX's"),
                };
                _kernels.Add(new NormalizerKernel(normalized.Offset, NewOutput(ElementType.Float, normalized.RowShape).Offset, normalized.Width, norm));
                break;
            case "Binarizer":
                var binarized = NumberInput(0);
                // ONNX Runtime's default threshold is 1.0 (binarizer.cc), not the 0.0 of the operator's documentation.
                _kernels.Add(new BinarizerKernel(binarized.Offset, NewOutput(binarized.Type, binarized.RowShape).Offset, binarized.Width, node.Float("threshold", 1f)));
                break;
            case "LabelEncoder":
                LabelEncoder(node);
                break;
            case "CategoryMapper":
                CategoryMapper(node);
                break;
            case "OneHotEncoder":
                OneHotEncoder(node);
                break;
            case "TreeEnsembleRegressor":
                TreeEnsembleRegressor(node);
                break;
            case "TreeEnsembleClassifier":
                TreeEnsembleClassifier(node);
                break;
            case "LinearRegressor":
                LinearRegressor(node);
                break;
            case "LinearClassifier":
                LinearClassifier(node);
                break;
            default:
                throw new UnsupportedGraphException($"operator '{node.OpType}' is outside the compiled subset");
        }
    }

    private static float[] Nonempty(float[] values, float fallback) => values.Length == 0 ? [fallback] : values;

    private void Reshape(GraphValue input, float[] shape)
    {
        if (shape.Length == 0 || (shape[0] != -1 && shape[0] != 0))
        {
            throw new UnsupportedGraphException($"a reshape to [{string.Join(", ", shape)}] does not keep the row axis first");
        }
        var row = new int[shape.Length - 1];
        var inferred = -1;
        for (var d = 1; d < shape.Length; d++)
        {
            row[d - 1] = shape[d] switch
            {
                0 when d - 1 < input.RowShape.Length => input.RowShape[d - 1],
                -1 => 1,
                var v when v > 0 => (int)v,
                _ => throw new UnsupportedGraphException($"reshape dimension {shape[d]} is not compiled"),
            };
            if (shape[d] == -1)
            {
                inferred = d - 1;
            }
        }
        var known = row.Aggregate(1, (a, b) => a * b);
        if (inferred >= 0)
        {
            row[inferred] = input.Width / known;
        }
        if (row.Aggregate(1, (a, b) => a * b) != input.Width)
        {
            throw new UnsupportedGraphException($"a reshape of {input.Width} values per row to [{string.Join(", ", shape)}]");
        }
        Alias(Output(), input, input.Type, row);
    }

    private void Squeeze(GraphValue input, long[] axes)
    {
        var rank = input.RowShape.Length + 1;
        var drop = axes.Length == 0
            ? Enumerable.Range(0, input.RowShape.Length).Where(d => input.RowShape[d] == 1).ToHashSet()
            : axes.Select(a => (int)(a < 0 ? a + rank : a) - 1).ToHashSet();
        if (drop.Any(d => d < 0 || d >= input.RowShape.Length || input.RowShape[d] != 1))
        {
            throw new UnsupportedGraphException($"squeezing axes [{string.Join(", ", axes)}] of a [rows, {string.Join(", ", input.RowShape)}] tensor");
        }
        Alias(Output(), input, input.Type, input.RowShape.Where((_, d) => !drop.Contains(d)).ToArray());
    }

    private void Unsqueeze(GraphValue input, long[] axes)
    {
        var rank = input.RowShape.Length + 1 + axes.Length;
        var positions = axes.Select(a => (int)(a < 0 ? a + rank : a)).Order().ToArray();
        if (positions.Any(p => p <= 0))
        {
            throw new UnsupportedGraphException("unsqueezing before the row axis");
        }
        var row = input.RowShape.ToList();
        foreach (var p in positions)
        {
            row.Insert(Math.Min(p - 1, row.Count), 1);
        }
        Alias(Output(), input, input.Type, [.. row]);
    }

    private void Cast(GraphValue input, int to)
    {
        var target = OnnxAttributes.ToElementType(to)
            ?? throw new UnsupportedGraphException($"a cast to element type {to} (outside the float/int/bool/string subset)");
        if (input.IsString || target == ElementType.String)
        {
            if (input.IsString && target == ElementType.String)
            {
                Alias(Output(), input, target, input.RowShape);
                return;
            }
            throw new UnsupportedGraphException("casts between strings and numbers are not compiled");
        }
        var needsKernel = target switch
        {
            ElementType.Float => false,
            ElementType.Bool => input.Type != ElementType.Bool,
            _ => input.Type == ElementType.Float,
        };
        if (!needsKernel)
        {
            Alias(Output(), input, target, input.RowShape);
            return;
        }
        var output = NewOutput(target, input.RowShape);
        _kernels.Add(target == ElementType.Bool
            ? new UnaryKernel<ToBool>(input.Offset, output.Offset, input.Width)
            : new UnaryKernel<ToInteger>(input.Offset, output.Offset, input.Width));
    }

    private void Unary<TOperation>(ElementType? type = null)
        where TOperation : struct, IUnaryOperation
    {
        var input = NumberInput(0);
        var output = NewOutput(type ?? (input.Type == ElementType.Bool ? ElementType.Float : input.Type), input.RowShape);
        _kernels.Add(new UnaryKernel<TOperation>(input.Offset, output.Offset, input.Width));
    }

    private void Binary<TOperation>(ElementType? type = null)
        where TOperation : struct, IBinaryOperation
    {
        var (a, b) = (Input(0), Input(1));
        var (width, shape) = Broadcast(a, b);
        var output = NewOutput(type ?? a.Type, shape);
        _kernels.Add(new BinaryKernel<TOperation>(a.Offset, a.Width, b.Offset, b.Width, output.Offset, width));
    }

    /// <summary>Sum, Max and Min over any number of inputs: a running result in the output's slots.</summary>
    private void Variadic<TOperation>()
        where TOperation : struct, IBinaryOperation
    {
        var inputs = Enumerable.Range(0, _node.Input.Count).Select(Input).ToArray();
        if (inputs.Length == 1)
        {
            Alias(Output(), inputs[0], inputs[0].Type, inputs[0].RowShape);
            return;
        }
        var (width, shape) = inputs.Skip(1).Aggregate((inputs[0].Width, inputs[0].RowShape), (acc, v) => Broadcast(new GraphValue("", ElementType.Float, 0, acc.RowShape, true), v));
        var output = NewOutput(inputs[0].Type, shape);
        _kernels.Add(new BinaryKernel<TOperation>(inputs[0].Offset, inputs[0].Width, inputs[1].Offset, inputs[1].Width, output.Offset, width));
        foreach (var next in inputs.Skip(2))
        {
            _kernels.Add(new BinaryKernel<TOperation>(output.Offset, width, next.Offset, next.Width, output.Offset, width));
        }
    }

    /// <summary>Row-wise broadcasting: equal widths, or one side of width 1; at least one side per row.</summary>
    private static (int Width, int[] Shape) Broadcast(GraphValue a, GraphValue b)
    {
        if (a.IsString || b.IsString)
        {
            throw new UnsupportedGraphException("arithmetic on strings");
        }
        if (!a.Batched && !b.Batched)
        {
            throw new UnsupportedGraphException("an operation on constants only (fold it before export)");
        }
        foreach (var constant in new[] { a, b }.Where(v => !v.Batched))
        {
            // A constant broadcast over rows must not have a row-count axis of its own beyond 1.
            if (constant.RowShape.Length > (a.Batched ? a : b).RowShape.Length + 1 || (constant.RowShape.Length == (a.Batched ? a : b).RowShape.Length + 1 && constant.RowShape[0] != 1))
            {
                throw new UnsupportedGraphException($"constant '{constant.Name}' of shape [{string.Join(", ", constant.RowShape)}] does not broadcast over rows");
            }
        }
        if (a.Width == b.Width)
        {
            // Equal counts are not enough: [rows, 3, 1] against [3] broadcasts to [rows, 3, 3].
            if (a.Width > 1 && !Trimmed(a.RowShape).SequenceEqual(Trimmed(b.RowShape)))
            {
                throw new UnsupportedGraphException($"broadcasting [{string.Join(", ", a.RowShape)}] against [{string.Join(", ", b.RowShape)}] per row");
            }
            return (a.Width, a.Batched ? a.RowShape : b.RowShape);
        }
        if (b.Width == 1)
        {
            return (a.Width, a.Batched ? a.RowShape : [a.Width]);
        }
        if (a.Width == 1)
        {
            return (b.Width, b.Batched ? b.RowShape : [b.Width]);
        }
        throw new UnsupportedGraphException($"broadcasting {a.Width} values against {b.Width} per row");
    }

    /// <summary>A shape without its leading 1s, for comparing what broadcasts element by element.</summary>
    private static int[] Trimmed(int[] shape) => shape.SkipWhile(d => d == 1).ToArray();

    private void Clip()
    {
        var input = NumberInput(0);
        var min = _node.Has("min") ? _node.Float("min", float.MinValue) : ConstantNumbers(1)?.Single() ?? float.NegativeInfinity;
        var max = _node.Has("max") ? _node.Float("max", float.MaxValue) : ConstantNumbers(2)?.Single() ?? float.PositiveInfinity;
        _kernels.Add(new ClipKernel(input.Offset, NewOutput(input.Type, input.RowShape).Offset, input.Width, min, max));
    }

    private void Where()
    {
        var (condition, x, y) = (Input(0), Input(1), Input(2));
        var (width, shape) = Broadcast(x, y);
        if (condition.Width != width && condition.Width != 1)
        {
            throw new UnsupportedGraphException("a condition that does not broadcast over the row");
        }
        var output = NewOutput(x.Type, shape);
        _kernels.Add(new WhereKernel(condition.Offset, condition.Width, x.Offset, x.Width, y.Offset, y.Width, output.Offset, width));
    }

    private void Reduce(NodeProto node)
    {
        var input = NumberInput(0);
        var axes = node.Has("axes") ? node.Ints("axes") : ConstantNumbers(1)?.Select(v => (long)v).ToArray() ?? [];
        if (axes.Length != 1)
        {
            throw new UnsupportedGraphException("only a reduction over the last axis is compiled");
        }
        RequireLastAxis(input, axes[0]);
        var kind = node.OpType switch { "ReduceSum" => ReduceKind.Sum, "ReduceMean" => ReduceKind.Mean, "ReduceMax" => ReduceKind.Max, _ => ReduceKind.Min };
        var shape = node.Int("keepdims", 1) == 1 ? [.. input.RowShape[..^1], 1] : input.RowShape[..^1];
        _kernels.Add(new ReduceKernel(input.Offset, NewOutput(ElementType.Float, shape).Offset, input.Width, kind));
    }

    private void Concat(NodeProto node)
    {
        var inputs = Enumerable.Range(0, node.Input.Count).Select(RowInput).ToArray();
        foreach (var input in inputs)
        {
            if (input.RowShape.Length != 1)
            {
                throw new UnsupportedGraphException("only [rows, n] tensors are concatenated");
            }
            RequireLastAxis(input, node.Int("axis", 1));
        }
        if (inputs.Select(i => i.IsString).Distinct().Count() > 1)
        {
            throw new UnsupportedGraphException("strings concatenated with numbers");
        }
        var widths = inputs.Select(i => i.Width).ToArray();
        var output = NewOutput(inputs[0].Type, [widths.Sum()]);
        _kernels.Add(new ConcatKernel(inputs.Select(i => i.Offset).ToArray(), widths, widths, output.Offset, inputs[0].IsString));
    }

    private void FeatureVectorizer(NodeProto node)
    {
        var inputs = Enumerable.Range(0, node.Input.Count).Select(NumberInput).ToArray();
        var dimensions = node.Ints("inputdimensions").Select(d => (int)d).ToArray();
        if (dimensions.Length != inputs.Length)
        {
            throw new UnsupportedGraphException("inputdimensions does not match the inputs");
        }
        var output = NewOutput(ElementType.Float, [dimensions.Sum()]);
        _kernels.Add(new ConcatKernel(inputs.Select(i => i.Offset).ToArray(), inputs.Select(i => i.Width).ToArray(), dimensions, output.Offset, strings: false));
    }

    private void Imputer(NodeProto node)
    {
        var input = NumberInput(0);
        var imputed = node.Has("imputed_value_floats") ? node.Floats("imputed_value_floats") : node.Ints("imputed_value_int64s").Select(v => (float)v).ToArray();
        if (imputed.Length == 0 || (imputed.Length != 1 && input.RowShape.Length > 0 && imputed.Length != input.RowShape[^1]))
        {
            throw new UnsupportedGraphException("imputed values do not match the input's last dimension");
        }
        var replaced = node.Has("replaced_value_int64") && !node.Has("replaced_value_float")
            ? node.Int("replaced_value_int64", 0)
            : node.Float("replaced_value_float", 0f);
        _kernels.Add(new ImputerKernel(input.Offset, NewOutput(input.Type, input.RowShape).Offset, input.Width, imputed, replaced));
    }
}
