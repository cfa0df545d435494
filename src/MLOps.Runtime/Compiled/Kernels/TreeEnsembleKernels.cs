namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>TreeEnsembleRegressor: aggregate, add base values, post-transform, as ONNX Runtime's regressor aggregators.</summary>
internal sealed class TreeRegressorKernel(TreeEnsemble trees, int input, int output, Aggregate aggregate, float[] baseValues, PostTransform transform) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        var targets = trees.Targets;
        Span<float> scores = targets <= 64 ? stackalloc float[targets] : new float[targets];
        Span<bool> hasScore = targets <= 64 ? stackalloc bool[targets] : new bool[targets];
        scores.Clear();
        hasScore.Clear();
        trees.Accumulate(numbers.Slice(input, trees.FeatureCount), scores, hasScore, aggregate);
        Finish(numbers, scores, hasScore);
    }

    public override void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        using var block = TreeBlockScores.Accumulate(trees, aggregate, numbers, rows, numberStride, input);
        for (var row = 0; row < rows; row++)
        {
            Finish(numbers.Slice(row * numberStride, numberStride), block.Scores(row), block.HasScore(row));
        }
    }

    private void Finish(Span<float> numbers, Span<float> scores, Span<bool> hasScore)
    {
        var targets = trees.Targets;
        var y = numbers.Slice(output, targets);
        if (targets == 1)
        {
            var origin = baseValues.Length == 1 ? baseValues[0] : 0f;
            var score = aggregate switch
            {
                Aggregate.Sum => scores[0] + origin,
                Aggregate.Average => (scores[0] / trees.Roots.Length) + origin,
                _ => hasScore[0] ? scores[0] + origin : origin,
            };
            y[0] = transform == PostTransform.Probit ? Transforms.Probit(score) : score;
            return;
        }
        var useBase = baseValues.Length == targets;
        for (var t = 0; t < targets; t++)
        {
            var b = useBase ? baseValues[t] : 0f;
            y[t] = aggregate switch
            {
                Aggregate.Sum => scores[t] + b,
                Aggregate.Average => (scores[t] / trees.Roots.Length) + b,
                _ => b + (hasScore[t] ? scores[t] : 0f),
            };
        }
        Transforms.Apply(transform, y);
    }
}

/// <summary>
/// TreeEnsembleClassifier: the label and the per-class scores, with ONNX Runtime's binary conventions (one weighted
/// class, all-positive weights read as probabilities, the second score derived from the first).
/// </summary>
internal sealed class TreeClassifierKernel(TreeEnsemble trees, int input, int labelOutput, bool stringLabels, int scoreOutput, float[] baseValues, PostTransform transform, bool binaryCase, bool weightsAllPositive) : Kernel
{
    // For string labels the label slot holds the class index and the compiler maps it through LabelNames.
    public required float[] ClassLabels { get; init; }

    public required string[] LabelNames { get; init; }

    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        var classes = trees.Targets;
        Span<float> scores = classes <= 64 ? stackalloc float[classes] : new float[classes];
        Span<bool> hasScore = classes <= 64 ? stackalloc bool[classes] : new bool[classes];
        scores.Clear();
        hasScore.Clear();
        trees.Accumulate(numbers.Slice(input, trees.FeatureCount), scores, hasScore, Aggregate.Sum);
        Finish(numbers, strings, scores, hasScore);
    }

    public override void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        using var block = TreeBlockScores.Accumulate(trees, Aggregate.Sum, numbers, rows, numberStride, input);
        for (var row = 0; row < rows; row++)
        {
            Finish(numbers.Slice(row * numberStride, numberStride), strings.Slice(row * stringStride, stringStride), block.Scores(row), block.HasScore(row));
        }
    }

    private void Finish(Span<float> numbers, Span<string?> strings, Span<float> scores, Span<bool> hasScore)
    {
        var classes = trees.Targets;
        int label;
        var z = numbers.Slice(scoreOutput, classes);
        if (classes > 2)
        {
            for (var k = 0; k < baseValues.Length && k < classes; k++)
            {
                scores[k] = hasScore[k] ? scores[k] + baseValues[k] : baseValues[k];
                hasScore[k] = true;
            }
            label = -1;
            var best = 0f;
            for (var k = 0; k < classes; k++)
            {
                if (hasScore[k] && (label == -1 || scores[k] > best))
                {
                    (label, best) = (k, scores[k]);
                }
            }
            label = Math.Max(label, 0);
            scores.CopyTo(z);
            Transforms.Apply(transform, z);
            WriteLabel(numbers, strings, label);
            return;
        }

        var count = 2;
        var secondClass = -1;
        if (baseValues.Length == 2)
        {
            if (hasScore[1])
            {
                // As ONNX Runtime has it: class 1's votes give way to base_values[1] plus class 0's score.
                scores[1] = baseValues[1] + scores[0];
                scores[0] = -scores[1];
            }
            else
            {
                scores[1] += baseValues[1];
                scores[0] += baseValues[0];
            }
        }
        else if (baseValues.Length == 1)
        {
            scores[0] += baseValues[0];
            count = hasScore[1] ? 2 : 1;
        }
        else
        {
            secondClass = 3;
            count = hasScore[1] ? 2 : 1;
        }

        var positive = count == 2 && hasScore[1] ? scores[1] : (hasScore[0] ? scores[0] : 0f);
        if (binaryCase)
        {
            if (weightsAllPositive)
            {
                (secondClass, label) = positive > 0.5f ? (0, 1) : (1, 0);
            }
            else
            {
                (secondClass, label) = positive > 0 ? (2, 1) : (3, 0);
            }
            WriteLabel(numbers, strings, label);
        }
        else
        {
            // ONNX Runtime answers 1 or 0 here, not a class label.
            WriteLiteral(numbers, strings, positive > 0 ? 1 : 0);
        }

        // ONNX Runtime writes a class without any vote (or only a base value) as 0: ScoreValue's float conversion.
        if (count >= 2)
        {
            z[0] = hasScore[0] ? scores[0] : 0f;
            z[1] = hasScore[1] ? scores[1] : 0f;
            Transforms.Apply(transform, z);
            return;
        }
        var s = hasScore[0] ? scores[0] : 0f;
        if (transform == PostTransform.Probit)
        {
            z[0] = Transforms.Probit(s);
            return;
        }
        switch (secondClass)
        {
            case 0:
            case 1:
                (z[0], z[1]) = (1f - s, s);
                break;
            case 2:
            case 3:
                (z[0], z[1]) = transform == PostTransform.Logistic ? (Transforms.Logistic(-s), Transforms.Logistic(s)) : (-s, s);
                break;
            default:
                z[0] = s;
                break;
        }
    }

    private void WriteLabel(Span<float> numbers, Span<string?> strings, int index)
    {
        if (stringLabels)
        {
            strings[labelOutput] = LabelNames[index];
        }
        else
        {
            numbers[labelOutput] = ClassLabels[index];
        }
    }

    private void WriteLiteral(Span<float> numbers, Span<string?> strings, int value)
    {
        if (stringLabels)
        {
            strings[labelOutput] = LabelNames[value];
        }
        else
        {
            numbers[labelOutput] = value;
        }
    }
}
