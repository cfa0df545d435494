using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MLOps.Runtime;
using MLOps.Runtime.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers models MLOps.Build generated in a .NET host.</summary>
public static class MLOpsHostingExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TModel"/> as a thread-safe singleton, loaded with the options of the configuration
    /// section <c>MLOps:Models:&lt;ModelName&gt;</c> and then <paramref name="configure"/>, and disposed with the host.
    /// </summary>
    public static IServiceCollection AddMLOpsModel<TModel>(this IServiceCollection services, Action<MLOpsModelOptions>? configure = null)
        where TModel : class, IMLOpsModel<TModel>
    {
        ArgumentNullException.ThrowIfNull(services);
        var name = TModel.ModelName;
        var options = services.AddOptions<MLOpsModelOptions>(name)
            .Configure<IServiceProvider>((o, provider) => provider.GetService<IConfiguration>()?.GetSection(MLOpsModelOptions.SectionOf(name)).Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }
        // A value the model cannot use fails the host's start, every problem named, not the first request.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MLOpsModelOptions>, MLOpsModelOptionsValidator>());
        options.ValidateOnStart();
        services.TryAddSingleton(provider => TModel.Load(provider.GetRequiredService<IOptionsMonitor<MLOpsModelOptions>>().Get(name).ToSessionOptions()));
        return services;
    }

    /// <summary>
    /// Adds <typeparamref name="TModel"/>'s health check (<see cref="MLOpsModelHealthCheck{TModel}"/>: drift and live
    /// quality against the test set and the live gates) and turns its monitoring on: drift and outcome tracking.
    /// </summary>
    public static IHealthChecksBuilder AddMLOpsModelCheck<TModel>(this IHealthChecksBuilder builder, string? name = null, IEnumerable<string>? tags = null)
        where TModel : class, IMLOpsModel<TModel>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.PostConfigure<MLOpsModelOptions>(TModel.ModelName, o =>
        {
            o.MonitorDrift = true;
            o.TrackOutcomes = true;
        });
        // One instance for the host's life: it remembers the last state, so that each change is logged once.
        builder.Services.TryAddSingleton<MLOpsModelHealthCheck<TModel>>();
        return builder.Add(new HealthCheckRegistration(name ?? "mlops-" + TModel.ModelName,
            provider => provider.GetRequiredService<MLOpsModelHealthCheck<TModel>>(), failureStatus: null, tags));
    }
}
