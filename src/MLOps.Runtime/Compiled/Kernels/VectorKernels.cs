namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>Imputer: replaces NaN (or <c>replaced_value_float</c>) by the column's imputed value.</summary>
internal sealed class ImputerKernel(int input, int output, int width, float[] imputed, float replaced) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        var replaceNaN = float.IsNaN(replaced);
        for (var i = 0; i < width; i++)
        {
            var x = numbers[input + i];
            var missing = replaceNaN ? float.IsNaN(x) : x == replaced;
            numbers[output + i] = missing ? imputed[imputed.Length == 1 ? 0 : i % imputed.Length] : x;
        }
    }

    public override void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        if (width != 1)
        {
            base.RunRows(numbers, strings, rows, numberStride, stringStride);
            return;
        }
        var (replaceNaN, value) = (float.IsNaN(replaced), imputed[0]);
        for (var at = 0; at < rows * numberStride; at += numberStride)
        {
            var x = numbers[at + input];
            numbers[at + output] = (replaceNaN ? float.IsNaN(x) : x == replaced) ? value : x;
        }
    }
}

/// <summary>Scaler: (x − offset) × scale, each of length 1 or the row's width.</summary>
internal sealed class ScalerKernel(int input, int output, int width, float[] offset, float[] scale) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        for (var i = 0; i < width; i++)
        {
            numbers[output + i] = (numbers[input + i] - offset[offset.Length == 1 ? 0 : i]) * scale[scale.Length == 1 ? 0 : i];
        }
    }
}

/// <summary>Binarizer: 1 above the threshold, else 0.</summary>
internal sealed class BinarizerKernel(int input, int output, int width, float threshold) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        for (var i = 0; i < width; i++)
        {
            numbers[output + i] = numbers[input + i] > threshold ? 1f : 0f;
        }
    }

    public override void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        if (width != 1)
        {
            base.RunRows(numbers, strings, rows, numberStride, stringStride);
            return;
        }
        for (var at = 0; at < rows * numberStride; at += numberStride)
        {
            numbers[at + output] = numbers[at + input] > threshold ? 1f : 0f;
        }
    }
}

internal enum NormKind
{
    Max,
    L1,
    L2,
}

/// <summary>Normalizer over the row, as ONNX Runtime's normalizer.cc (a zero norm leaves the row as it is).</summary>
internal sealed class NormalizerKernel(int input, int output, int width, NormKind norm) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        var x = numbers.Slice(input, width);
        var y = numbers.Slice(output, width);
        switch (norm)
        {
            case NormKind.Max:
                var max = float.MinValue;
                foreach (var v in x)
                {
                    // std::max(max, v) as normalizer.cc has it: a NaN value does not become the maximum.
                    max = max < v ? v : max;
                }
                for (var i = 0; i < width; i++)
                {
                    y[i] = max != 0f ? x[i] / max : x[i];
                }
                break;
            case NormKind.L1:
                var sum = 0f;
                foreach (var v in x)
                {
                    sum += MathF.Abs(v);
                }
                for (var i = 0; i < width; i++)
                {
                    y[i] = sum != 0f ? x[i] / sum : x[i];
                }
                break;
            default:
                var squares = 0f;
                foreach (var v in x)
                {
                    squares += v * v;
                }
                for (var i = 0; i < width; i++)
                {
                    var v = x[i];
                    y[i] = squares == 0f ? v : (v < 0 ? -MathF.Sqrt(v * v / squares) : MathF.Sqrt(v * v / squares));
                }
                break;
        }
    }
}

/// <summary>FeatureVectorizer and Concat along the last axis: each input's first <c>take</c> values, zero-padded to its dimension.</summary>
internal sealed class ConcatKernel(int[] inputs, int[] widths, int[] dimensions, int output, bool strings) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> text)
    {
        var at = output;
        for (var k = 0; k < inputs.Length; k++)
        {
            if (!strings && widths[k] == 1 && dimensions[k] == 1)
            {
                // The common one-column input: a copy without the span set-up.
                numbers[at++] = numbers[inputs[k]];
                continue;
            }
            var take = Math.Min(widths[k], dimensions[k]);
            if (strings)
            {
                text.Slice(inputs[k], take).CopyTo(text.Slice(at, take));
            }
            else
            {
                numbers.Slice(inputs[k], take).CopyTo(numbers.Slice(at, take));
                numbers.Slice(at + take, dimensions[k] - take).Clear();
            }
            at += dimensions[k];
        }
    }

    public override void RunRows(Span<float> numbers, Span<string?> text, int rows, int numberStride, int stringStride)
    {
        if (strings)
        {
            base.RunRows(numbers, text, rows, numberStride, stringStride);
            return;
        }
        // Input by input over the block's rows: each input's copy set up once, not once a row.
        var to = output;
        for (var k = 0; k < inputs.Length; k++)
        {
            var (from, take, pad) = (inputs[k], Math.Min(widths[k], dimensions[k]), dimensions[k] - Math.Min(widths[k], dimensions[k]));
            for (var at = 0; at < rows * numberStride; at += numberStride)
            {
                if (take == 1)
                {
                    numbers[at + to] = numbers[at + from];
                }
                else
                {
                    numbers.Slice(at + from, take).CopyTo(numbers.Slice(at + to, take));
                }
                if (pad > 0)
                {
                    numbers.Slice(at + to + take, pad).Clear();
                }
            }
            to += dimensions[k];
        }
    }
}

internal enum ReduceKind
{
    Sum,
    Mean,
    Max,
    Min,
}

/// <summary>ReduceSum/Mean/Max/Min over the last axis of a row, keeping one value.</summary>
internal sealed class ReduceKernel(int input, int output, int width, ReduceKind kind) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        var x = numbers.Slice(input, width);
        var result = kind is ReduceKind.Max or ReduceKind.Min ? x[0] : 0f;
        for (var i = kind is ReduceKind.Max or ReduceKind.Min ? 1 : 0; i < x.Length; i++)
        {
            var v = x[i];
            // std::max/std::min as ONNX Runtime's Eigen reductions apply them: NaN wins only in first place.
            result = kind switch
            {
                ReduceKind.Max => result < v ? v : result,
                ReduceKind.Min => v < result ? v : result,
                _ => result + v,
            };
        }
        numbers[output] = kind == ReduceKind.Mean ? result / width : result;
    }
}

/// <summary>ArgMax/ArgMin over a row: the first (or, with select_last_index, the last) extreme.</summary>
internal sealed class ArgExtremeKernel(int input, int output, int width, bool max, bool last) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        var best = 0;
        var bestValue = numbers[input];
        for (var i = 1; i < width; i++)
        {
            var v = numbers[input + i];
            var better = max ? (last ? v >= bestValue : v > bestValue) : (last ? v <= bestValue : v < bestValue);
            if (better)
            {
                best = i;
                bestValue = v;
            }
        }
        numbers[output] = best;
    }
}

/// <summary>Softmax (and LogSoftmax) over a row.</summary>
internal sealed class SoftmaxKernel(int input, int output, int width, bool log) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        numbers.Slice(input, width).CopyTo(numbers.Slice(output, width));
        var y = numbers.Slice(output, width);
        Transforms.Softmax(y);
        if (log)
        {
            for (var i = 0; i < width; i++)
            {
                y[i] = MathF.Log(y[i]);
            }
        }
    }
}
