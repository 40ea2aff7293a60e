using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Models;

/// <summary>The spec reader turns only VaeSharp's own shape checks into ModelSpecException; a runtime bounds error is a bug and escapes.</summary>
public class ShapeCheckTests
{
    [Fact]
    public void OwnShapeChecksCountAsBadSpecsAndRuntimeBoundsErrorsDoNot()
    {
        var ownCheck = Assert.Throws<ArgumentOutOfRangeException>(() => new Shape(3, 0));
        Assert.True(NetworkBuilder.IsShapeCheck(ownCheck));
        var outOfBounds = Assert.Throws<ArgumentOutOfRangeException>(() => new float[4].AsSpan(2, 5).Clear());
        Assert.False(NetworkBuilder.IsShapeCheck(outOfBounds));
    }
}
