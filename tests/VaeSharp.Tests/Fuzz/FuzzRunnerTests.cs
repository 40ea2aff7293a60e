using Xunit.Sdk;

namespace VaeSharp.Tests.Fuzz;

/// <summary>The fuzz oracle itself: a reader that hangs or throws an undocumented exception fails the run.</summary>
public class FuzzRunnerTests
{
    private static readonly byte[] Valid = [1, 2, 3, 4, 5, 6, 7, 8];

    [Fact]
    public void AReaderThatNeverReturnsFailsTheRunInsteadOfHangingIt()
    {
        using var release = new ManualResetEventSlim();
        // Hangs on the first mutated input; without a watchdog the run would wait out the 10 s and pass.
        int mutatedCalls = 0;
        void Hang(byte[] bytes)
        {
            if (!bytes.AsSpan().SequenceEqual(Valid) && Interlocked.Increment(ref mutatedCalls) == 1)
                release.Wait(TimeSpan.FromSeconds(10));
        }
        try
        {
            var failure = Assert.Throws<FailException>(() => FuzzRunner.Run(TimeSpan.FromMilliseconds(200), "hang", Valid, 1, "\0\xff", Hang));
            Assert.Contains("still running after 0.2 s", failure.Message);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void AnUndocumentedExceptionFailsTheRun()
    {
        // What a slicing bug throws: a clean rejection would be the documented InvalidDataException.
        void Slice(byte[] bytes)
        {
            if (!bytes.AsSpan().SequenceEqual(Valid)) _ = bytes.AsSpan(0, bytes.Length + 1);
        }
        var failure = Assert.Throws<FailException>(() => FuzzRunner.Run("slice", Valid, 1, "\0\xff", Slice, typeof(InvalidDataException)));
        Assert.Contains("ArgumentOutOfRangeException escaped", failure.Message);
    }
}
