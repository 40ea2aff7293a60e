namespace VaeSharp.Data;

/// <summary>One expected data file: its name, its exact size and the SHA-256 of its (decompressed) content.</summary>
/// <param name="Name">The file name, without folder and without <c>.gz</c>.</param>
/// <param name="Size">The size in bytes, decompressed.</param>
/// <param name="Sha256">The SHA-256 of the decompressed content, 64 lower-case hex digits.</param>
public sealed record MnistFile(string Name, long Size, string Sha256);
