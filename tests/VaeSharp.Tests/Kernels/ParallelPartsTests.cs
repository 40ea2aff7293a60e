using VaeSharp.Kernels;

namespace VaeSharp.Tests.Kernels;

/// <summary>The GEMM's parallel launch: every part runs exactly once, and a part's exception reaches the caller.</summary>
public class ParallelPartsTests
{
    private readonly struct Count(int[] runs) : IPartBody
    {
        public void Run(int part) => Interlocked.Increment(ref runs[part]);
    }

    private readonly struct Throw(int failing) : IPartBody
    {
        public void Run(int part)
        {
            if (part == failing) throw new InvalidOperationException($"part {part}");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    public void RunsEveryPartOnce(int count)
    {
        for (int repeat = 0; repeat < 50; repeat++)
        {
            var runs = new int[count];
            ParallelParts.Run(new Count(runs), count);
            Assert.All(runs, r => Assert.Equal(1, r));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void RethrowsAPartsException(int failing)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ParallelParts.Run(new Throw(failing), 4));
        Assert.Equal($"part {failing}", error.Message);
    }
}
