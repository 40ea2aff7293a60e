namespace VaeSharp.Data;

/// <summary>What <see cref="MnistFetcher.FetchAsync"/> did.</summary>
/// <param name="Source">"cache" when verified files were already there, else "npm" or "mirror".</param>
/// <param name="Directory">The data folder, as a full path.</param>
/// <param name="Paths">The verified files, in the order of <see cref="FetchOptions.Files"/>.</param>
public sealed record FetchResult(string Source, string Directory, IReadOnlyList<string> Paths);
