namespace VaeSharp.Kernels;

/// <summary>
/// Where window <c>row</c> of a batch lies, (image, output row, output column), stepped one window at a time: three
/// integer divisions per window cost more than the work on a 3×3 window of one channel does.
/// </summary>
internal struct WindowPosition
{
    private readonly int _outH, _outW;

    /// <summary>The position of window <paramref name="row"/> in images of outH × outW windows.</summary>
    public WindowPosition(int row, int outH, int outW)
    {
        (_outH, _outW) = (outH, outW);
        Column = row % outW;
        Row = row / outW % outH;
        Image = row / (outW * outH);
    }

    /// <summary>The image in the batch.</summary>
    public int Image { get; private set; }

    /// <summary>The output row within the image.</summary>
    public int Row { get; private set; }

    /// <summary>The output column within the row.</summary>
    public int Column { get; private set; }

    /// <summary>Moves to the next window: along the row, then down, then to the next image.</summary>
    public void Next()
    {
        if (++Column < _outW) return;
        Column = 0;
        if (++Row < _outH) return;
        Row = 0;
        Image++;
    }
}
