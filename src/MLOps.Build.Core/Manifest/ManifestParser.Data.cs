using MLOps.Build.Json;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Manifest;

public sealed partial class ManifestParser
{
    internal static readonly string[] DataKeys = ["train", "test", "testFraction"];
    internal static readonly string[] FileKeys = ["path", "sha256"];

    private (DataFileReference? Train, DataFileReference? Test, double TestFraction) ParseData(LocatedObject root, bool requireTrain)
    {
        var property = root.Find("data");
        if (property is null)
        {
            if (requireTrain)
            {
                _diagnostics.Add(D.MissingField, root.Location, "The manifest has no 'data' section; add \"data\": { \"train\": { \"path\": \"…\" } }.");
            }
            return (null, null, 0.2);
        }
        if (property.Value is not LocatedObject data)
        {
            _read.WrongType(property, "an object with 'train' and optionally 'test'");
            return (null, null, 0.2);
        }
        _read.CheckKeys(data, DataKeys, "data.");
        var train = OptionalFile(data, "train", "data.train");
        if (train is null && requireTrain && data.Find("train") is null)
        {
            _diagnostics.Add(D.MissingField, property.NameLocation, "The 'data' section has no 'train' file.");
        }
        var test = OptionalFile(data, "test", "data.test");
        var fraction = _read.OptionalNumber(data, "testFraction", 0.01, 0.99, integer: false) ?? 0.2;
        return (train, test, fraction);
    }

    private DataFileReference? OptionalFile(LocatedObject parent, string key, string role)
    {
        var property = parent.Find(key);
        if (property is null)
        {
            return null;
        }
        if (property.Value is LocatedScalar { Kind: LocatedKind.String } bare)
        {
            return CheckPath(new DataFileReference(role, bare.Text!, bare.Location, null, null, bare));
        }
        if (property.Value is not LocatedObject file)
        {
            _read.WrongType(property, "an object { \"path\": \"…\", \"sha256\": \"…\" }");
            return null;
        }
        if (file.Find("sql") is not null && role != DataFileReference.OnnxRole)
        {
            return ParseQuery(file, role);
        }
        _read.CheckKeys(file, FileKeys, role + ".");
        var path = _read.RequiredString(file, "path", role + ".");
        if (path is null)
        {
            return null;
        }
        var shaNode = ParseSha256(file, role);
        return CheckPath(new DataFileReference(role, path.Value.Text, path.Value.Location, shaNode?.Text?.ToLowerInvariant(), shaNode, file));
    }

    private LocatedScalar? ParseSha256(LocatedObject file, string role)
    {
        LocatedScalar? shaNode = null;
        if (file.Find("sha256") is { } shaProperty)
        {
            if (shaProperty.Value is LocatedScalar { Kind: LocatedKind.String } sha)
            {
                shaNode = sha;
                if (sha.Text!.Length != 64 || !sha.Text.All(Uri.IsHexDigit))
                {
                    _diagnostics.Add(D.InvalidValue, sha.Location, $"'{role}.sha256' must be 64 hexadecimal digits; run the build with -p:MLOpsUpdateLock=true to compute it.");
                }
            }
            else
            {
                _read.WrongType(shaProperty, "a string of 64 hexadecimal digits");
            }
        }
        return shaNode;
    }

    private DataFileReference? CheckPath(DataFileReference file)
    {
        if (string.IsNullOrWhiteSpace(file.RelativePath))
        {
            _diagnostics.Add(D.InvalidValue, file.PathLocation, $"'{file.Role}' has an empty path.");
            return null;
        }
        return file;
    }

    private IReadOnlyList<LocatedName> ParseExclude(LocatedObject root)
    {
        if (_read.Optional<LocatedArray>(root, "exclude", "an array of column names") is not { } found)
        {
            return [];
        }
        var array = found.Value;
        var result = new List<LocatedName>();
        foreach (var item in array.Items)
        {
            if (item is LocatedScalar { Kind: LocatedKind.String } name)
            {
                result.Add(new LocatedName(name.Text!, name.Location));
            }
            else
            {
                _diagnostics.Add(D.WrongValueType, item.Location, $"'exclude' lists column names; found a {item.KindName}.");
            }
        }
        return result;
    }
}
