using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLOps.Runtime.Hosting;

/// <summary>
/// A hosted model's health from its drift and live quality (<see cref="ModelHealth"/>); each change of state is logged
/// once; new capture failures are logged (event 2) when a check sees them. Added by <c>AddMLOpsModelCheck&lt;TModel&gt;</c>, which also turns the model's monitoring on.
/// </summary>
/// <typeparam name="TModel">The generated model class.</typeparam>
public sealed partial class MLOpsModelHealthCheck<TModel> : IHealthCheck
    where TModel : class, IMLOpsModel<TModel>
{
    private readonly TModel _model;
    private readonly IOptionsMonitor<MLOpsModelOptions> _options;
    private readonly ILogger<MLOpsModelHealthCheck<TModel>> _logger;
    private int _last = -1;
    private long _captureFailures;

    /// <summary>Created by the health check service.</summary>
    public MLOpsModelHealthCheck(TModel model, IOptionsMonitor<MLOpsModelOptions> options, ILogger<MLOpsModelHealthCheck<TModel>> logger)
    {
        _model = model;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = ModelHealth.Judge(TModel.ModelName, _model.DriftMonitor, _model.Outcomes, TModel.Thresholds, _options.Get(TModel.ModelName), _model.Capture);
        if (_model.Capture is { } capture && capture.Failures is var failures && Interlocked.Exchange(ref _captureFailures, failures) != failures)
        {
            CaptureFailed(_logger, TModel.ModelName, failures, capture.LastError ?? "");
        }
        var status = (int)result.Status;
        if (Interlocked.Exchange(ref _last, status) != status)
        {
            StateChanged(_logger, result.Status == HealthStatus.Healthy ? LogLevel.Information : LogLevel.Warning,
                TModel.ModelName, result.Status, result.Description ?? "");
        }
        return Task.FromResult(result);
    }

    [LoggerMessage(EventId = 2, EventName = "MLOpsCaptureFailed", Level = LogLevel.Warning,
        Message = "Model {Model} could not write {Failures} captured file(s), their rows dropped; last: {Error}")]
    private static partial void CaptureFailed(ILogger logger, string model, long failures, string error);

    [LoggerMessage(EventId = 1, EventName = "MLOpsModelHealthChanged", Message = "Model {Model} is {Status}: {Reason}")]
    private static partial void StateChanged(ILogger logger, LogLevel level, string model, HealthStatus status, string reason);
}
