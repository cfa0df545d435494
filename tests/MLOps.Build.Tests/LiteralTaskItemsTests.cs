using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MLOps.Build.Tasks;

namespace MLOps.Build.Tests;

public sealed class LiteralTaskItemsTests
{
    public static TheoryData<string> Texts() =>
    [
        "plain/path.json",
        "%(Card) $(Prop) @(Items) 'q' ;*?",
        "100%41 %%",
        "天気 José \"dq\" & <b>",
        "",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void An_item_spec_escapes_as_MSBuild_escapes_a_literal_metadata_value(string text)
    {
        ITaskItem2 reference = new TaskItem("x");
        reference.SetMetadataValueLiteral("Value", text);

        var item = LiteralTaskItems.Create(text.Length == 0 ? "x" : text);

        if (text.Length > 0)
        {
            Assert.Equal(reference.GetMetadataValueEscaped("Value"), ((ITaskItem2)item).EvaluatedIncludeEscaped);
            Assert.Equal(text, item.ItemSpec);
        }
        item.SetLiteral("Value", text);
        Assert.Equal(text, item.GetMetadata("Value"));
        Assert.Equal(reference.GetMetadataValueEscaped("Value"), ((ITaskItem2)item).GetMetadataValueEscaped("Value"));
    }
}
