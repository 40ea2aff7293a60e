using VaeSharp.Kernels;

namespace VaeSharp.Tests.Kernels;

/// <summary>A masked model's input: x·mask where the mask is nonzero, and 0 where it is zero, whatever x holds there.</summary>
public class MaskedValuesTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(40)]
    public void HiddenEntriesReadAsZeroEvenWhenNaNOrInfinite(int length)
    {
        float[] junk = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 7f];
        float[] x = new float[length], mask = new float[length], y = new float[length];
        for (int i = 0; i < length; i++)
        {
            bool hidden = i % 3 == 0;
            mask[i] = hidden ? (i % 2 == 0 ? 0f : -0f) : (i % 4 == 1 ? 0.5f : 1f);
            x[i] = hidden ? junk[i % junk.Length] : i * 0.25f - 3f;
        }

        Elementwise.MaskedValues(x, mask, y);

        for (int i = 0; i < length; i++)
        {
            Assert.True(float.IsFinite(y[i]), $"entry {i} is {y[i]}");
            Assert.Equal(mask[i] == 0f ? 0f : x[i] * mask[i], y[i]);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(37)]
    public void CountNonzeroCountsWhatNotEqualZeroReadsAsObserved(int length)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (i % 5) switch { 0 => 0f, 1 => -0f, 2 => float.NaN, 3 => 1f, _ => -2.5f };

        Assert.Equal(values.Count(v => v != 0f), Elementwise.CountNonzero(values));
    }
}
