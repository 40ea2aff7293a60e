using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using VaeSharp.Data;

namespace VaeSharp.Tests.Data;

/// <summary>
/// Small, valid IDX files under the real MNIST names (a few 28×28 images), with their own sizes and hashes, so that the
/// fetcher can be tested end to end without the real 55 MB.
/// </summary>
internal sealed class SyntheticMnist
{
    public SyntheticMnist(int trainCount = 3, int testCount = 2)
    {
        Contents = new Dictionary<string, byte[]>
        {
            [MnistFiles.TrainImages.Name] = ImageFile(trainCount, seed: 1),
            [MnistFiles.TrainLabels.Name] = LabelFile(trainCount),
            [MnistFiles.TestImages.Name] = ImageFile(testCount, seed: 2),
            [MnistFiles.TestLabels.Name] = LabelFile(testCount),
        };
        Files = MnistFiles.All
            .Select(file => new MnistFile(file.Name, Contents[file.Name].Length,
                Convert.ToHexStringLower(SHA256.HashData(Contents[file.Name]))))
            .ToArray();
    }

    /// <summary>File name → decompressed bytes.</summary>
    public Dictionary<string, byte[]> Contents { get; }

    /// <summary>The expected files, for <see cref="FetchOptions.Files"/>.</summary>
    public IReadOnlyList<MnistFile> Files { get; }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(content);
        return buffer.ToArray();
    }

    private static byte[] ImageFile(int count, byte seed)
    {
        var bytes = new byte[16 + count * 784];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Idx.ImageMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 28);
        for (int i = 16; i < bytes.Length; i++) bytes[i] = (byte)(i * seed);
        return bytes;
    }

    private static byte[] LabelFile(int count)
    {
        var bytes = new byte[8 + count];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Idx.LabelMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        for (int i = 0; i < count; i++) bytes[8 + i] = (byte)(i % 10);
        return bytes;
    }
}
