using MLOps.Build.Diagnostics;
using MLOps.Build.Drift;
using MLOps.Build.Json;
using MLOps.Build.Text;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Manifest;

public sealed partial class ManifestParser
{
    internal static readonly string[] DriftKeys = ["current", "method", "threshold", "share", "features", "maxCalibrationError"];
    internal static readonly string[] DriftFeatureKeys = ["method", "threshold"];

    private DriftSpec? ParseDrift(LocatedObject root)
    {
        if (_read.Optional<LocatedObject>(root, "drift", "an object such as { \"current\": \"data/recent.csv\" }") is not { } found)
        {
            return null;
        }
        var (property, drift) = found;
        _read.CheckKeys(drift, DriftKeys, "drift.");
        var method = DriftMethod(drift);
        var threshold = _read.OptionalNumber(drift, "threshold", 0, double.MaxValue, integer: false);
        var share = _read.OptionalNumber(drift, "share", 0, 1, integer: false) ?? DriftMethods.DefaultShare;
        var maxCalibrationError = _read.OptionalNumber(drift, "maxCalibrationError", 0, 1, integer: false) ?? MLOps.Shared.ClassifierConfidence.DefaultMaxCalibrationError;
        var features = new List<DriftFeatureSpec>();
        var featuresProperty = drift.Find("features");
        if (featuresProperty is not null && featuresProperty.Value is not LocatedObject)
        {
            _read.WrongType(featuresProperty, "an object such as { \"temp_max\": { \"method\": \"psi\", \"threshold\": 0.2 } }");
        }
        else if (featuresProperty?.Value is LocatedObject featureNodes)
        {
            foreach (var feature in featureNodes.Properties)
            {
                if (feature.Value is LocatedScalar { Kind: LocatedKind.String } shorthand)
                {
                    // "temp_max": "psi" is short for { "method": "psi" }.
                    var known = CheckDriftMethod(shorthand.Text!, shorthand.Location);
                    features.Add(new DriftFeatureSpec(feature.Name, known ? shorthand.Text : null, null, feature.NameLocation));
                    continue;
                }
                if (feature.Value is not LocatedObject settings)
                {
                    _read.WrongType(feature, "a method name or an object such as { \"method\": \"psi\", \"threshold\": 0.2 }");
                    continue;
                }
                _read.CheckKeys(settings, DriftFeatureKeys, $"drift.features.{feature.Name}.");
                features.Add(new DriftFeatureSpec(feature.Name, DriftMethod(settings),
                    _read.OptionalNumber(settings, "threshold", 0, double.MaxValue, integer: false), feature.NameLocation));
            }
        }
        return new DriftSpec(OptionalFile(drift, "current", DataFileReference.DriftCurrentRole), method ?? DriftMethods.Auto, property.NameLocation)
        {
            Threshold = threshold,
            Share = share,
            MaxCalibrationError = maxCalibrationError,
            Features = features,
        };
    }

    private string? DriftMethod(LocatedObject node)
    {
        var method = _read.OptionalString(node, "method");
        return method is not null && CheckDriftMethod(method.Value.Text, method.Value.Location) ? method.Value.Text : null;
    }

    private bool CheckDriftMethod(string method, FileLocation location)
    {
        if (Array.IndexOf(DriftMethods.All, method) >= 0)
        {
            return true;
        }
        _diagnostics.Add(D.InvalidValue, location,
            $"Unknown drift method '{method}'; expected one of {string.Join(", ", DriftMethods.All)}.{Suggestions.DidYouMean(method, DriftMethods.All)}");
        return false;
    }
}
