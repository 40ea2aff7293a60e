namespace VaeSharp.Plotting;

/// <summary>A picture of more pixels than one .NET array holds: the caller asked for too many cells at too large a scale.</summary>
/// <param name="width">The width asked for, in pixels.</param>
/// <param name="height">The height asked for, in pixels.</param>
/// <param name="bytesPerPixel">1 for gray, 3 for RGB.</param>
public sealed class PictureTooLargeException(long width, long height, int bytesPerPixel)
    : ArgumentException($"a {width:N0} × {height:N0} picture is too large: at most {Array.MaxLength / bytesPerPixel:N0} pixels fit one buffer")
{
    /// <summary>Throws unless a <paramref name="width"/> × <paramref name="height"/> picture of <paramref name="bytesPerPixel"/> bytes a pixel fits one array.</summary>
    public static void ThrowIfTooLarge(long width, long height, int bytesPerPixel)
    {
        if (width * height > Array.MaxLength / bytesPerPixel) throw new PictureTooLargeException(width, height, bytesPerPixel);
    }
}
