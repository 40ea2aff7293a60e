using VaeSharp.Data;

namespace VaeSharp.Tests.Data;

public sealed class DatasetTests
{
    // Three 2×2 images: 0..3, 4..7, 252..255.
    private static Dataset Sample() =>
        new([0, 1, 2, 3, 4, 5, 6, 7, 252, 253, 254, 255], [3, 1, 3], 3, 2, 2, "sample");

    [Fact]
    public void CopyBatchConvertsBytesToUnitFloats()
    {
        Dataset data = Sample();
        var batch = new float[2 * 4]; // (2, 4)

        data.CopyBatch([2, 0], batch);

        Assert.Equal([252 / 255f, 253 / 255f, 254 / 255f, 1f, 0f, 1 / 255f, 2 / 255f, 3 / 255f], batch);
    }

    [Fact]
    public void CopyBatchValidatesArguments()
    {
        Dataset data = Sample();
        Assert.Throws<ArgumentException>(() => data.CopyBatch([0], new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.CopyBatch([3], new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.CopyBatch([-1], new float[4]));
    }

    [Fact]
    public void TakeAndSubsetCopyImagesWithLabels()
    {
        Dataset data = Sample();

        Dataset first = data.Take(1);
        Dataset picked = data.Subset([2, 1]);

        Assert.Equal([0, 1, 2, 3], first.Pixels);
        Assert.Equal([3], first.Labels);
        Assert.Equal([252, 253, 254, 255, 4, 5, 6, 7], picked.Pixels);
        Assert.Equal([3, 1], picked.Labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Take(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset([5]));
    }

    [Fact]
    public void LabelHistogramCountsEachDigit()
    {
        Assert.Equal([0, 1, 0, 2, 0, 0, 0, 0, 0, 0], Sample().LabelHistogram());
        var unlabelled = new Dataset(new byte[4], null, 1, 2, 2, "unlabelled");
        Assert.Throws<InvalidOperationException>(() => unlabelled.LabelHistogram());
    }

    [Fact]
    public void ConstructorRejectsInconsistentSizes()
    {
        Assert.Throws<ArgumentException>(() => new Dataset(new byte[5], null, 1, 2, 2, "bad"));
        Assert.Throws<ArgumentException>(() => new Dataset(new byte[4], [1, 2], 1, 2, 2, "bad"));
        Assert.Throws<ArgumentException>(() => new Dataset([], null, 0, int.MaxValue, int.MaxValue, "bad"));
    }
}

public class DatasetRangeTests
{
    [Fact]
    public void CopyRangeEqualsCopyBatchOfTheSameIndicesAndChecksBounds()
    {
        var data = new Dataset([0, 51, 102, 153, 204, 255, 1, 2], null, 4, 1, 2, "tiny");
        var range = new float[4];
        var batch = new float[4];
        data.CopyRange(1, 2, range);
        data.CopyBatch([1, 2], batch);
        Assert.Equal(batch, range);
        Assert.Equal([102 / 255f, 153 / 255f, 204 / 255f, 1f], range);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.CopyRange(3, 2, new float[4]));
        Assert.Throws<ArgumentException>(() => data.CopyRange(0, 2, new float[3]));
    }
}
