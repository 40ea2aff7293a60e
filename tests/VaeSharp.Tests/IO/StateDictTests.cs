using VaeSharp.IO;
using VaeSharp.Tensors;
using static VaeSharp.Tests.IO.SafetensorsTestFiles;

namespace VaeSharp.Tests.IO;

public class StateDictTests
{
    [Fact]
    public void CopiesMatchingTensorsIntoTheirTargets()
    {
        var file = Read(Write([("dense.weight", Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2)), ("dense.bias", Tensor.FromArray([5f, 6f], 2))]));
        var flat = new float[6]; // all parameters in one allocation, as the model keeps them
        var weight = new Tensor(new Shape(2, 2), flat, 0);
        var bias = new Tensor(new Shape(2), flat, 4);

        StateDict.LoadInto(file, [("dense.bias", bias), ("dense.weight", weight)], "model.safetensors");

        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], flat);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void ANonFiniteValueIsRefusedByNameAndNothingIsCopied(float broken)
    {
        var file = Read(Write([("dense.weight", Tensor.FromArray([1f, 2f, broken, 4f], 2, 2)), ("dense.bias", Tensor.FromArray([5f, 6f], 2))]));
        var flat = new float[6];

        var error = Assert.Throws<SafetensorsFormatException>(() =>
            StateDict.LoadInto(file, [("dense.bias", new Tensor(new Shape(2), flat, 4)), ("dense.weight", new Tensor(new Shape(2, 2), flat, 0))], "model.safetensors"));

        Assert.Contains("holds a NaN or infinite value in dense.weight", error.Message);
        Assert.All(flat, value => Assert.Equal(0f, value));
    }

    [Fact]
    public void MismatchListsMissingUnexpectedAndShapesAndCopiesNothing()
    {
        var file = Read(Write(
        [
            ("encoder.dense1.weight", Tensor.FromArray([1f, 2f], 1, 2)),
            ("foo", Tensor.FromArray([1f], 1)),
            ("decoder.out.weight", Tensor.Zeros(512, 784)),
        ]));
        var parameters = new List<(string, Tensor)>
        {
            ("encoder.dense1.weight", Tensor.Zeros(1, 2)),
            ("encoder.dense1.bias", Tensor.Zeros(2)),
            ("decoder.out.weight", Tensor.Zeros(400, 784)),
        };

        var error = Assert.Throws<SafetensorsFormatException>(() => StateDict.LoadInto(file, parameters, "model.safetensors"));

        Assert.Equal(
            "does not match the model: missing encoder.dense1.bias; unexpected foo; " +
            "shape of decoder.out.weight is (512, 784) in the file, (400, 784) in the model (model.safetensors)",
            error.Message);
        Assert.Equal([0f, 0f], parameters[0].Item2.ToArray());
    }

    [Fact]
    public void LongListsAreCut()
    {
        var file = Read(Write([]));
        var parameters = Enumerable.Range(0, 13).Select(i => ($"p{i}", Tensor.Zeros(1))).ToList();
        var error = Assert.Throws<SafetensorsFormatException>(() => StateDict.LoadInto(file, parameters, "m"));
        Assert.EndsWith("missing p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, and 3 more (m)", error.Message);
    }
}
