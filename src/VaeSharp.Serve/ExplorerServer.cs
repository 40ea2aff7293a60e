using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VaeSharp.Serve.Api;

namespace VaeSharp.Serve;

/// <summary>
/// Builds the <c>vae serve</c> web application: the page at <c>/</c> and the JSON API under <c>/api/</c> on Kestrel.
/// It reads no configuration file and no environment variable, and logs nothing; errors are JSON
/// (<c>{"error": ...}</c>) with 400, 404, 405 or 413, and 500 only for a fault of the server itself.
/// </summary>
public static class ExplorerServer
{
    /// <summary>Builds, without starting, the server for <paramref name="explorer"/>.</summary>
    /// <param name="explorer">The model and its latent map.</param>
    /// <param name="options">Address, port and inference workers.</param>
    /// <param name="configureHost">Runs last on the web host builder; tests swap in an in-memory server here.</param>
    public static WebApplication Build(Explorer explorer, ServeOptions options, Action<IWebHostBuilder>? configureHost = null)
    {
        ArgumentNullException.ThrowIfNull(explorer);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(ExplorerServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RequestBody.DrainedBytes;
            kestrel.Listen(options.Host, options.Port);
        });
        builder.Services.AddRoutingCore();
        var gate = new InferenceGate(options.Workers);
        builder.Services.AddSingleton(gate); // so that disposing the app disposes the gate
        configureHost?.Invoke(builder.WebHost);

        var app = builder.Build();
        app.Use(ErrorsAsJson);
        if (options.IsLoopback) app.Use(ThisMachineOnly);
        app.UseRouting();
        app.MapMethods("/", ApiRoutes.GetOrHead, context =>
        {
            context.Response.Headers.ContentSecurityPolicy = Page.ContentSecurityPolicy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(Page.Html, context.RequestAborted);
        });
        ApiRoutes.Map(app, explorer, gate);
        return app;
    }

    /// <summary>Turns refusals into their status and <c>{"error": ...}</c>, and gives 404 and 405 a JSON body too.</summary>
    private static async Task ErrorsAsJson(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await JsonReply.ErrorAsync(context.Response, e.StatusCode, e.Message);
            return;
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await JsonReply.ErrorAsync(context.Response, e.StatusCode, $"bad request: {e.Message} (body)");
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            await JsonReply.ErrorAsync(context.Response, StatusCodes.Status500InternalServerError, "internal error");
            return;
        }
        if (context.Response.HasStarted) return;
        if (context.Response.StatusCode == StatusCodes.Status404NotFound)
            await JsonReply.ErrorAsync(context.Response, StatusCodes.Status404NotFound, $"no such route ({Truncate(context.Request.Path.Value)})");
        else if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
            await JsonReply.ErrorAsync(context.Response, StatusCodes.Status405MethodNotAllowed, $"{Truncate(context.Request.Method)} is not allowed here ({Truncate(context.Request.Path.Value)})");
    }

    /// <summary>
    /// On a loopback address, a request must name this machine in its Host header (localhost, 127.0.0.1, ::1): else
    /// a web page whose host name its owner points at 127.0.0.1 (DNS rebinding) could read the API from a visitor's
    /// browser. A request with no Host (HTTP/1.0) comes from no browser and passes.
    /// </summary>
    private static Task ThisMachineOnly(HttpContext context, RequestDelegate next)
    {
        string host = context.Request.Host.Host;
        bool local = host.Length == 0 || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
        return local ? next(context) : throw ApiException.BadRequest($"this server answers requests for localhost only ({Truncate(context.Request.Host.Value)})");
    }

    private static string Truncate(string? text) => text is null ? "" : text.Length > 80 ? text[..80] + "…" : text;
}
