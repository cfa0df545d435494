using System.Reflection;
using MLOps.Build.Artifacts;

namespace MLOps.Build.Tests.Validate;

public sealed class ModelLockTests
{
    private static readonly string RepositoryRoot = typeof(ModelLockTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public void The_committed_sample_lock_round_trips_byte_for_byte()
    {
        var path = Path.Combine(RepositoryRoot, "samples", "WeatherForecast", "Models", "WeatherModel.mlmodel.lock.json");
        var bytes = File.ReadAllBytes(path);

        var accepted = ArtifactJson.Deserialize(bytes, ArtifactJson.ModelLock);

        Assert.Equal("WeatherModel", accepted.Name);
        Assert.Equal(4, accepted.Metrics.Count);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes), System.Text.Encoding.UTF8.GetString(ArtifactJson.Serialize(accepted, ArtifactJson.ModelLock)));
    }

    [Theory]
    [InlineData("/repo/Models/Churn.mlmodel.json", "/repo/Models/Churn.mlmodel.lock.json")]
    [InlineData("/repo/Models/churn.json", "/repo/Models/churn.json.lock.json")]
    public void The_lock_lives_next_to_its_manifest(string manifest, string expected) =>
        Assert.Equal(expected, ModelLock.PathFor(manifest));
}
