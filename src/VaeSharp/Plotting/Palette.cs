namespace VaeSharp.Plotting;

/// <summary>The colours our figures use: matplotlib's tab10 for the ten digit classes, and the greys of the axes.</summary>
public static class Palette
{
    private static readonly Color[] Tab10Colors =
    [
        Color.FromHex(0x1f77b4), Color.FromHex(0xff7f0e), Color.FromHex(0x2ca02c), Color.FromHex(0xd62728), Color.FromHex(0x9467bd),
        Color.FromHex(0x8c564b), Color.FromHex(0xe377c2), Color.FromHex(0x7f7f7f), Color.FromHex(0xbcbd22), Color.FromHex(0x17becf),
    ];

    /// <summary>The ten qualitative colours of matplotlib's tab10, in its order.</summary>
    public static IReadOnlyList<Color> Tab10 => Tab10Colors;

    /// <summary>The tab10 colour of class <paramref name="index"/>, cycling after ten.</summary>
    public static Color Category(int index) => Tab10Colors[((index % 10) + 10) % 10];

    /// <summary>The page behind every plot.</summary>
    public static Color Background => new(255, 255, 255);

    /// <summary>Text, axes and tick marks.</summary>
    public static Color Ink => new(32, 32, 32);

    /// <summary>Grid lines behind the data: light enough not to compete with it.</summary>
    public static Color GridLine => new(232, 232, 232);

    /// <summary>Frames and separators that should recede.</summary>
    public static Color Muted => new(150, 150, 150);
}
