using System.Globalization;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// Data that cannot teach anything, found before training: ML.NET would train on it silently (a constant regression
/// label gives all-zero metrics) or fail with a message about its own internals (an all-empty text column gives
/// "Schema mismatch for input column 'body__mlops_ngrams_CharExtractor'"), or that a model trained on it could not be
/// carried by generated code (a class label of megabytes), or that would take gigabytes to one-hot encode (an
/// identifier column). Each is a coded diagnostic at the column.
/// </summary>
internal static class TrainingDataChecks
{
    public static bool Check(ModelManifest manifest, TrainingTable train, string displayPath, FileLocation fileLocation, DiagnosticBag diagnostics)
    {
        var ok = true;
        foreach (var feature in train.Features)
        {
            var declared = manifest.Columns.FirstOrDefault(c => c.Column == feature.Name);
            // Counted once per column: rows present, and for a category its distinct values.
            var counts = feature.Categories?.CountByCode();
            var present = counts?.Sum() ?? feature.Numbers!.Count(n => !float.IsNaN(n));
            if (present == 0)
            {
                diagnostics.Add(D.EmptyColumn, declared?.Location ?? fileLocation,
                    $"Column '{feature.Name}' of '{displayPath}' has no value in any of its {Count(train.RowCount)} rows, so there is nothing to learn from it; " +
                    $"leave it out (\"exclude\": [\"{feature.Name}\"]) or fill it in.");
                ok = false;
            }
            if (feature.Kind == ColumnKind.Category && counts is not null && declared?.Kind != ColumnKind.Category
                && counts.Count(n => n > 0) is var distinct && distinct > MaxInferredCategories)
            {
                var identifier = distinct >= 0.9 * train.RowCount;
                diagnostics.Add(D.TooManyCategories, fileLocation,
                    $"Column '{TextLimits.Quoted(feature.Name)}' of '{displayPath}' has {Count(distinct)} distinct values in {Count(train.RowCount)} training rows" +
                    (identifier ? ", nearly one per row: it looks like an identifier, which tells nothing about a new row" : "") +
                    $"; one-hot encoding more than {Count(MaxInferredCategories)} values takes gigabytes of memory to train and export. " +
                    (identifier ? $"Leave it out (\"exclude\": [\"{feature.Name}\"])" : "Leave it out (\"exclude\"), group its rare values in the data, or declare it \"text\"") +
                    $", or declare it \"category\" in \"columns\" to train with every value anyway.");
                ok = false;
            }
            if (feature.Name.Length > TextLimits.LiteralLength)
            {
                diagnostics.Add(D.TooLongForGeneratedCode, declared?.Location ?? fileLocation,
                    $"Column '{TextLimits.Quoted(feature.Name)}' of '{displayPath}' has a name of {Count(feature.Name.Length)} characters; {LiteralRule} Rename the column, or leave it out (\"exclude\").");
                ok = false;
            }
        }
        if (manifest.Task == ModelTask.Regression && train.Label.Values is { Length: > 0 } values && values.All(v => v.Equals(values[0])))
        {
            diagnostics.Add(D.ConstantLabel, manifest.LabelLocation,
                $"Label '{train.Label.Name}' is {values[0].ToString("R", CultureInfo.InvariantCulture)} in every one of the {Count(values.Length)} training rows of '{displayPath}'; a regression model has nothing to learn, and every metric would be 0.");
            ok = false;
        }
        if (train.Label.Classes is { } classes)
        {
            var counts = classes.CountByCode();
            foreach (var code in Enumerable.Range(0, classes.Values.Length).Where(c => counts[c] > 0 && classes.Values[c].Length > TextLimits.LiteralLength))
            {
                var value = classes.Values[code];
                diagnostics.Add(D.TooLongForGeneratedCode, manifest.LabelLocation,
                    $"Label '{train.Label.Name}' has a class of {Count(value.Length)} characters in {Count(counts[code])} training row(s) of '{displayPath}' ('{TextLimits.Quoted(value)}'); {LiteralRule} Shorten the class in the data.");
                ok = false;
            }
        }
        return ok;
    }

    /// <summary>
    /// The most distinct values an inferred category column may have (MLOPS1052). Memory and time to train, export and
    /// check a one-hot encoded column grow with its values (over 50,000 rows: 0.66 GB for 5,000, 2.1 GB for 20,000 since
    /// ONNX Runtime scores in batches, 3.4 and 11.5 GB before; an identifier column of 160,000 values was killed at
    /// 24 GB): a column the manifest does not declare a category is refused beyond this, before anything is trained.
    /// </summary>
    public const int MaxInferredCategories = 5000;

    /// <summary>Why a name or class too long is refused (MLOPS1049): generated code carries it exactly.</summary>
    internal static readonly string LiteralRule =
        $"generated code carries each column name and class exactly, and at most {Count(TextLimits.LiteralLength)} characters.";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
