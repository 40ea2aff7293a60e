namespace VaeSharp.Data;

/// <summary>A progress report from <see cref="MnistFetcher"/>.</summary>
/// <param name="Stage">What is happening, for example "npm pack" or "download train-images-idx3-ubyte.gz".</param>
/// <param name="BytesDone">Decompressed bytes written (or checked) so far in this stage's source.</param>
/// <param name="BytesTotal">Decompressed bytes of all expected files together.</param>
public sealed record FetchProgress(string Stage, long BytesDone, long BytesTotal);
