using System.Numerics.Tensors;
using VaeSharp.Kernels;

namespace VaeSharp.Tests.Kernels;

/// <summary>A bias gradient's column sums: the bits of adding the rows one by one, in order, at any width.</summary>
public class AddRowsTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(16, 300)]
    [InlineData(20, 7)]
    [InlineData(784, 3)]
    public void MatchesAddingTheRowsOneByOne(int width, int count)
    {
        var rng = new Random(width * 31 + count);
        float[] rows = new float[width * count], sums = new float[width];
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)(rng.NextDouble() * 2 - 1) * MathF.Pow(10, rng.Next(-3, 4));
        for (int j = 0; j < width; j++) sums[j] = (float)rng.NextDouble();
        float[] expected = [.. sums];
        for (int row = 0; row < count; row++) TensorPrimitives.Add(expected, rows.AsSpan(row * width, width), expected);

        Elementwise.AddRows(rows, sums);

        Assert.Equal(expected, sums);
    }
}
