using MLOps.Build.Manifest;
using MLOps.Build.Trainer.Data;
using MLOps.Build.Trainer.Statistics;
using MLOps.Shared;

namespace MLOps.Build.Trainer.Tests.Statistics;

/// <summary>A categorical column's card lists its most frequent categories and states whether there were more.</summary>
public sealed class CategoryStatisticsTests
{
    private static FeatureColumn Column(int distinct) =>
        new("c", ColumnKind.Category, null, CategoryColumn.From(Enumerable.Range(0, distinct * 2).Select(i => "c" + (i % distinct))));

    [Theory]
    [InlineData(3, false)]
    [InlineData(ModelCardKeys.Statistics.CategoriesListed, false)]
    [InlineData(ModelCardKeys.Statistics.CategoriesListed + 1, true)]
    public void The_card_says_whether_its_category_list_is_whole(int distinct, bool truncated)
    {
        var card = ColumnStatistics.Compute(Column(distinct));

        Assert.Equal(Math.Min(distinct, ModelCardKeys.Statistics.CategoriesListed), card.Categories!.Count);
        Assert.Equal(truncated, card.CategoriesTruncated);
    }

    [Fact]
    public void Numeric_columns_state_nothing_about_categories()
    {
        Assert.Null(ColumnStatistics.Compute(new FeatureColumn("n", ColumnKind.Float, [1, 2, 3], null)).CategoriesTruncated);
    }
}
