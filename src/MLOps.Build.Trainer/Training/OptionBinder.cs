using System.Globalization;
using System.Reflection;
using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Manifest;
using MLOps.Build.Text;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Training;

/// <summary>
/// Maps manifest <c>trainer.options</c> onto the ML.NET options class by member name, with coded errors for
/// unknown names and ill-typed values, and applies the settings that make training reproducible.
/// </summary>
public static class OptionBinder
{
    /// <summary>Chosen by the build, not the manifest: changing them would break the pipeline.</summary>
    private static readonly HashSet<string> Reserved =
        ["LabelColumnName", "FeatureColumnName", "ExampleWeightColumnName", "RowGroupColumnName"];

    /// <param name="threads">The trainer's <c>NumberOfThreads</c> unless the manifest sets it: <see cref="TrainerEntry.Threads"/> for a
    /// model, one for a sweep trial (trials run side by side already).</param>
    public static object? Bind(TrainerEntry entry, IReadOnlyList<OptionSetting> options, int seed, DiagnosticBag diagnostics, int threads = 1)
    {
        var target = Activator.CreateInstance(entry.OptionsType)!;
        Set(target, "LabelColumnName", InMemoryDataView.LabelColumnName);
        Set(target, "FeatureColumnName", PipelineFactory.FeaturesColumnName);
        // Reproducible by default: a fixed thread count with which the trainer is deterministic (never the machine's
        // core count) and the manifest's seed, unless the manifest says otherwise.
        Set(target, "NumberOfThreads", (int?)threads);
        Set(target, "Seed", seed);
        Set(target, "Seed", (int?)seed);
        Set(target, "Deterministic", true);
        // ML.NET turns LightGbm's categorical splits on by itself above 50,000 rows, and exports such trees to ONNX
        // with feature index -1, which ONNX Runtime rejects: one-hot slots are split like any feature instead. Still so
        // with ML.NET 6.0.0 and ONNX Runtime 1.32.0 (UpstreamWorkaroundTests fails once it is not).
        Set(target, "UseCategoricalSplit", (bool?)false);

        var members = Members(entry.OptionsType).Where(m => !Reserved.Contains(m.Name)).ToDictionary(m => m.Name);
        var ok = true;
        foreach (var option in options)
        {
            if (!members.TryGetValue(option.Name, out var member))
            {
                diagnostics.Add(D.UnknownTrainerOption, option.NameLocation,
                    $"'{entry.Name}' has no option '{option.Name}'.{Suggestions.DidYouMean(option.Name, members.Keys)} Options: {string.Join(", ", members.Keys.OrderBy(k => k, StringComparer.Ordinal))}.");
                ok = false;
                continue;
            }
            var type = MemberType(member);
            if (!TryConvert(option.Value, type, out var value, out var expected))
            {
                diagnostics.Add(D.InvalidTrainerOption, option.ValueLocation,
                    $"Option '{option.Name}' of '{entry.Name}' must be {expected}; found {Describe(option.Value)}.");
                ok = false;
                continue;
            }
            SetMember(target, member, value);
        }
        return ok ? target : null;
    }

    public static IEnumerable<MemberInfo> Members(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Instance).Cast<MemberInfo>()
            .Concat(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
            .Where(m => IsSupported(MemberType(m)))
            .GroupBy(m => m.Name).Select(g => g.First());

    private static bool IsSupported(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal);
    }

    private static Type MemberType(MemberInfo member) => member switch
    {
        FieldInfo f => f.FieldType,
        PropertyInfo p => p.PropertyType,
        _ => typeof(void),
    };

    private static void SetMember(object target, MemberInfo member, object? value)
    {
        if (member is FieldInfo field)
        {
            field.SetValue(target, value);
        }
        else if (member is PropertyInfo property)
        {
            property.SetValue(target, value);
        }
    }

    private static void Set(object target, string name, object? value)
    {
        var member = Members(target.GetType()).FirstOrDefault(m => m.Name == name);
        if (member is not null && (value is null || MemberType(member).IsInstanceOfType(value) || Nullable.GetUnderlyingType(MemberType(member)) == value.GetType()))
        {
            SetMember(target, member, value);
        }
    }

    /// <summary>Why <paramref name="value"/> cannot set option <paramref name="name"/> ("must be a whole number (Int32)"); null when it can.</summary>
    public static string? Problem(TrainerEntry entry, string name, OptionLiteral value)
    {
        var member = Members(entry.OptionsType).FirstOrDefault(m => m.Name == name && !Reserved.Contains(m.Name));
        if (member is null)
        {
            return "is not an option";
        }
        return TryConvert(value, MemberType(member), out _, out var expected) ? null : $"must be {expected}; found {Describe(value)}";
    }

    /// <summary>The option's value type, without Nullable: what a search space range or list must produce.</summary>
    public static Type? OptionType(TrainerEntry entry, string name) =>
        Members(entry.OptionsType).Where(m => !Reserved.Contains(m.Name)).FirstOrDefault(m => m.Name == name) is { } member
            ? Nullable.GetUnderlyingType(MemberType(member)) ?? MemberType(member)
            : null;

    /// <summary>The options a manifest may set, by name.</summary>
    public static IEnumerable<string> OptionNames(TrainerEntry entry) =>
        Members(entry.OptionsType).Select(m => m.Name).Where(n => !Reserved.Contains(n));

    public static bool IsInteger(Type t) =>
        t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) || t == typeof(uint) || t == typeof(ulong);

    private static bool TryConvert(OptionLiteral node, Type type, out object? value, out string expected)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        value = null;
        if (node.Kind == LocatedKind.Null && (underlying is not null || !type.IsValueType))
        {
            expected = "";
            return true;
        }
        var t = underlying ?? type;
        var scalar = node;
        if (t == typeof(bool))
        {
            expected = "true or false";
            if (node.Kind is LocatedKind.True or LocatedKind.False)
            {
                value = node.Kind == LocatedKind.True;
                return true;
            }
            return false;
        }
        if (t == typeof(string))
        {
            expected = "a string";
            value = scalar?.Text;
            return node.Kind == LocatedKind.String;
        }
        if (t.IsEnum)
        {
            var names = Enum.GetNames(t);
            expected = "one of " + string.Join(", ", names.Select(n => $"\"{n}\""));
            var match = names.FirstOrDefault(n => string.Equals(n, scalar?.Text, StringComparison.OrdinalIgnoreCase));
            if (node.Kind == LocatedKind.String && match is not null)
            {
                value = Enum.Parse(t, match);
                return true;
            }
            return false;
        }
        var integer = IsInteger(t);
        expected = integer ? $"a whole number ({t.Name})" : $"a number ({t.Name})";
        if (node.Kind != LocatedKind.Number || !double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        if (integer && Math.Floor(number) != number)
        {
            return false;
        }
        try
        {
            value = System.Convert.ChangeType(number, t, CultureInfo.InvariantCulture);
            return true;
        }
        catch (OverflowException)
        {
            expected += $" within {t.Name}'s range";
            return false;
        }
    }

    private static string Describe(OptionLiteral node) => node.Kind switch
    {
        LocatedKind.Object => "an object",
        LocatedKind.Array => "an array",
        LocatedKind.True or LocatedKind.False => $"boolean {node.Text}",
        LocatedKind.String => $"string \"{node.Text}\"",
        LocatedKind.Null => "null",
        _ => $"number {node.Text}",
    };
}
