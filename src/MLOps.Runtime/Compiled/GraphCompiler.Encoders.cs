using MLOps.Onnx;
using MLOps.Runtime.Compiled.Kernels;

namespace MLOps.Runtime.Compiled;

internal sealed partial class GraphCompiler
{
    private const string UnusedString = "_Unused";

    private void LabelEncoder(NodeProto node)
    {
        node.RejectTensorForms();
        var input = RowInput(0);
        var keyStrings = node.Strings("keys_strings");
        var keyNumbers = node.Has("keys_int64s") ? OnnxAttributes.ExactIntegers(node.Ints("keys_int64s"), "int64 keys") : node.Floats("keys_floats");
        var valueStrings = node.Strings("values_strings");
        var valuesAreInts = node.Has("values_int64s");
        var valueNumbers = valuesAreInts ? OnnxAttributes.ExactIntegers(node.Ints("values_int64s"), "int64 values") : node.Floats("values_floats");
        var stringOut = node.Has("values_strings");
        var count = input.IsString ? keyStrings.Length : keyNumbers.Length;
        if ((stringOut ? valueStrings.Length : valueNumbers.Length) != count)
        {
            throw new UnsupportedGraphException("keys and values differ in length");
        }
        var stringDefault = node.String("default_string", UnusedString);
        var numberDefault = valuesAreInts ? node.Int("default_int64", -1) : node.Float("default_float", -0f);
        if (input.IsString && stringOut)
        {
            _kernels.Add(new StringToStringKernel(input.Offset, NewOutput(ElementType.String, input.RowShape).Offset, input.Width, Map(keyStrings, valueStrings), stringDefault));
        }
        else if (input.IsString)
        {
            var output = NewOutput(valuesAreInts ? ElementType.Int64 : ElementType.Float, input.RowShape);
            _kernels.Add(new StringToNumberKernel(input.Offset, output.Offset, input.Width, Map(keyStrings, valueNumbers), numberDefault));
        }
        else if (stringOut)
        {
            _kernels.Add(new NumberToStringKernel(input.Offset, NewOutput(ElementType.String, input.RowShape).Offset, input.Width, Map(keyNumbers, valueStrings), stringDefault));
        }
        else
        {
            var output = NewOutput(valuesAreInts ? ElementType.Int64 : ElementType.Float, input.RowShape);
            _kernels.Add(new NumberToNumberKernel(input.Offset, output.Offset, input.Width, Map(keyNumbers, valueNumbers), numberDefault));
        }
    }

    private void CategoryMapper(NodeProto node)
    {
        var input = RowInput(0);
        var strings = node.Strings("cats_strings");
        var ints = OnnxAttributes.ExactIntegers(node.Ints("cats_int64s"), "int64 categories");
        if (strings.Length != ints.Length)
        {
            throw new UnsupportedGraphException("cats_strings and cats_int64s differ in length");
        }
        if (input.IsString)
        {
            _kernels.Add(new StringToNumberKernel(input.Offset, NewOutput(ElementType.Int64, input.RowShape).Offset, input.Width, Map(strings, ints), node.Int("default_int64", -1)));
        }
        else
        {
            _kernels.Add(new NumberToStringKernel(input.Offset, NewOutput(ElementType.String, input.RowShape).Offset, input.Width, Map(ints, strings), node.String("default_string", UnusedString)));
        }
    }

    private void OneHotEncoder(NodeProto node)
    {
        var input = RowInput(0);
        if (node.Int("zeros", 1) == 0)
        {
            // ONNX Runtime fails the call on an unseen value then; a compiled model would have to as well.
            throw new UnsupportedGraphException("zeros=0 (an unseen value is an error) is not compiled");
        }
        var categories = input.IsString ? node.Strings("cats_strings").Length : node.Ints("cats_int64s").Length;
        if (categories == 0)
        {
            throw new UnsupportedGraphException("no categories");
        }
        var output = NewOutput(ElementType.Float, [.. input.RowShape, categories]);
        var kernel = input.IsString
            ? new OneHotKernel(input.Offset, output.Offset, input.Width, categories, null, Index(node.Strings("cats_strings")))
            : new OneHotKernel(input.Offset, output.Offset, input.Width, categories, Index(OnnxAttributes.ExactIntegers(node.Ints("cats_int64s"), "int64 categories")), null);
        _kernels.Add(kernel);
    }

    /// <summary>Key to value; the first of duplicate keys wins, as in ONNX Runtime's map construction.</summary>
    private static Dictionary<TKey, TValue> Map<TKey, TValue>(TKey[] keys, TValue[] values)
        where TKey : notnull
    {
        var map = new Dictionary<TKey, TValue>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            map.TryAdd(keys[i], values[i]);
        }
        return map;
    }

    private static Dictionary<TKey, int> Index<TKey>(IEnumerable<TKey> keys)
        where TKey : notnull
    {
        var index = new Dictionary<TKey, int>();
        var i = 0;
        foreach (var key in keys)
        {
            index.TryAdd(key, i++);
        }
        return index;
    }
}
