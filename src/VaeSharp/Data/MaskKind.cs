namespace VaeSharp.Data;

/// <summary>How a mask hides pixels; masks use 1 for observed and 0 for missing everywhere.</summary>
public enum MaskKind
{
    /// <summary>Each pixel is missing independently with probability p (missing completely at random).</summary>
    Pixel,

    /// <summary>Whole rows (from 5..22) and columns (from 8..19) are missing: the middle of the digit.</summary>
    Line,
}
