namespace VaeSharp.Plotting;

/// <summary>A rectangle of pixels on a canvas, with (X, Y) its top left.</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Pixels across.</param>
/// <param name="Height">Pixels down.</param>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    /// <summary>One past the right edge.</summary>
    public int Right => X + Width;

    /// <summary>One past the bottom edge.</summary>
    public int Bottom => Y + Height;

    /// <summary>This rectangle shrunk by the given margins.</summary>
    public PixelRect Inset(int left, int top, int right, int bottom) =>
        new(X + left, Y + top, Math.Max(Width - left - right, 1), Math.Max(Height - top - bottom, 1));
}
