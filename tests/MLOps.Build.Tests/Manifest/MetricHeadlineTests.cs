using MLOps.Build.Manifest;

namespace MLOps.Build.Tests.Manifest;

/// <summary>What one-line summaries (MLOPS2010, dotnet mlops status and runs) show: the task's primary metric, its companion, every gated one.</summary>
public sealed class MetricHeadlineTests
{
    [Theory]
    [InlineData(ModelTask.Regression, "RSquared,RootMeanSquaredError")]
    [InlineData(ModelTask.Multiclass, "MacroAccuracy,MicroAccuracy")]
    [InlineData(ModelTask.Binary, "AreaUnderRocCurve,Accuracy")]
    public void The_headline_starts_with_the_primary_metric_not_the_alphabet(ModelTask task, string expected)
    {
        Assert.Equal(expected.Split(','), MetricCatalog.Headline(task));
    }

    [Fact]
    public void Every_gated_metric_is_shown_once()
    {
        Assert.Equal(["RSquared", "RootMeanSquaredError", "MeanAbsoluteError"], MetricCatalog.Headline(ModelTask.Regression, ["MeanAbsoluteError", "RSquared"]));
    }

    [Fact]
    public void A_run_records_metrics_give_their_tasks_headline()
    {
        var metrics = new Dictionary<string, double> { ["LossFunction"] = 2, ["MeanAbsoluteError"] = 1, ["MeanSquaredError"] = 2, ["RSquared"] = 0.81234, ["RootMeanSquaredError"] = 1.4142 };

        Assert.Equal("RSquared 0.8123, RootMeanSquaredError 1.4142", MetricCatalog.Summary(metrics, MetricCatalog.Headline(metrics)));
    }
}
