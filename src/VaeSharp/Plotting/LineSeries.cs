namespace VaeSharp.Plotting;

/// <summary>One curve of a <see cref="LinePlot"/> panel.</summary>
/// <param name="Name">The legend text.</param>
/// <param name="Xs">Horizontal coordinates, ascending.</param>
/// <param name="Ys">Vertical coordinates, as many as <paramref name="Xs"/>; NaN leaves a gap.</param>
/// <param name="Color">The line colour.</param>
public sealed record LineSeries(string Name, double[] Xs, double[] Ys, Color Color);
