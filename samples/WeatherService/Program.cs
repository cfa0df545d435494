using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using WeatherService;

// The model MLOps.Build trained from Models/WeatherModel.mlmodel.json, served: POST /predict/{id} scores a day and
// keeps the forecast until POST /outcome/{id} says what the weather was; GET /health judges drift and live quality;
// GET /metrics is for Prometheus. Settings: appsettings.json, section MLOps:Models:WeatherModel.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMLOpsModel<WeatherModel>();
builder.Services.AddHealthChecks().AddMLOpsModelCheck<WeatherModel>();
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMLOpsInstrumentation().AddPrometheusExporter());

var app = builder.Build();
app.MapPrometheusScrapingEndpoint();
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealth });
app.MapPost("/predict/{id}", (string id, WeatherModel.Input day, WeatherModel model) =>
{
    var forecast = model.Predict(day, key: id);
    return new Forecast(id, forecast.PredictedLabel);
});
app.MapPost("/outcome/{id}", (string id, Outcome outcome, WeatherModel model) =>
{
    try
    {
        return model.RecordOutcome(id, outcome.Weather) ? Results.NoContent() : Results.NotFound();
    }
    catch (ArgumentException ex)
    {
        return Results.BadRequest(ex.Message);
    }
});
app.Run();

// The health check's status, description and data, for people and scripts.
static Task WriteHealth(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
{
    context.Response.ContentType = "application/json";
    return context.Response.WriteAsync(JsonSerializer.Serialize(new
    {
        status = report.Status.ToString(),
        checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
    }));
}

internal sealed record Forecast(string Id, string Weather);

internal sealed record Outcome(string Weather);
