using System.IO.Compression;
using System.Net;

namespace VaeSharp.Data;

/// <summary>
/// Downloads <c>&lt;name&gt;.gz</c> for every expected file from a mirror folder and gunzips it into the staging
/// area. A transient failure (network error, timeout, 5xx, 408, 429) is retried three times with doubling pauses; a
/// 404 or a bad file is not, since retrying cannot fix it.
/// </summary>
internal static class MirrorSource
{
    private const int MaxAttempts = 4;

    public static async Task FetchIntoAsync(VerifiedStaging staging, FetchOptions options, CancellationToken cancellationToken)
    {
        string baseUrl = options.MirrorBaseUrl.EndsWith('/') ? options.MirrorBaseUrl : options.MirrorBaseUrl + "/";
        // Timeouts are per attempt (below), covering the body as well as the headers.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        foreach (MnistFile file in options.Files)
        {
            var url = new Uri(new Uri(baseUrl), file.Name + ".gz");
            for (int attempt = 1; ; attempt++)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.HttpTimeout);
                try
                {
                    await DownloadAsync(http, url, file, staging, timeout.Token);
                    break;
                }
                catch (Exception e) when (attempt < MaxAttempts && IsTransient(e) && !cancellationToken.IsCancellationRequested)
                {
                    staging.Discard(file.Name);
                    await Task.Delay(options.RetryDelay * (1 << (attempt - 1)), cancellationToken);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"download of {url} did not finish within {options.HttpTimeout}");
                }
            }
        }
    }

    private static async Task DownloadAsync(
        HttpClient http, Uri url, MnistFile file, VerifiedStaging staging, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException(
                $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} for {url}", null, response.StatusCode);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var gunzip = new GZipStream(body, CompressionMode.Decompress);
        try
        {
            await staging.StageAsync(file, gunzip, url.ToString(), $"download {file.Name}.gz", cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(url.ToString(), $"not a valid gzip stream: {e.Message}", e);
        }
    }

    private static bool IsTransient(Exception e) => e switch
    {
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: var status } =>
            (int)status! >= 500 || status == HttpStatusCode.RequestTimeout || status == HttpStatusCode.TooManyRequests,
        OperationCanceledException or IOException => true,
        _ => false,
    };
}
