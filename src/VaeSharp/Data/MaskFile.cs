using System.Globalization;
using VaeSharp.IO;
using VaeSharp.Tensors;

namespace VaeSharp.Data;

/// <summary>
/// Saved masks, so that an experiment can be repeated or shared: a safetensors file of F32 tensors named
/// <c>{kind}/{fraction}/train</c> and <c>{kind}/{fraction}/test</c>, each (count, rows, cols) of 1 (observed) and
/// 0 (missing), as <c>vae masks make</c> writes them.
/// </summary>
public static class MaskFile
{
    private const string SeedKey = "vaesharp.mask_seed";

    /// <summary>The tensor name of one kind, fraction and split ("train" or "test"), e.g. <c>line/0.5/test</c>.</summary>
    public static string TensorName(MaskKind kind, double fraction, string split) =>
        $"{kind.ToString().ToLowerInvariant()}/{fraction.ToString("0.0##", CultureInfo.InvariantCulture)}/{split}";

    /// <summary>Writes every (kind, fraction, split, masks) entry; masks are (count·rows·cols) bytes.</summary>
    public static void Write(string path, IEnumerable<(MaskKind Kind, double Fraction, string Split, byte[] Masks)> entries, int rows, int cols, ulong seed)
    {
        var tensors = new List<(string, Tensor)>();
        foreach (var (kind, fraction, split, masks) in entries)
            if (masks.Length > 0) tensors.Add((TensorName(kind, fraction, split), new Tensor(new Shape(masks.Length / (rows * cols), rows, cols), Masks.ToFloats(masks))));
        var metadata = new Dictionary<string, string> { [SeedKey] = seed.ToString(CultureInfo.InvariantCulture), ["vaesharp.convention"] = "1 observed, 0 missing" };
        AtomicFile.Write(path, stream => SafetensorsWriter.Write(stream, tensors, metadata));
    }

    /// <summary>The masks of one kind, fraction and split: (count·rows·cols) bytes, at least <paramref name="count"/> examples' worth.</summary>
    /// <exception cref="DataFormatException">The file is not a mask file, lacks the tensor, has too few masks, the wrong image size, or a value other than 0 and 1.</exception>
    public static byte[] Read(string path, MaskKind kind, double fraction, string split, int count, int rows, int cols)
    {
        SafetensorsFile file;
        try
        {
            file = SafetensorsReader.Read(path);
        }
        catch (Exception e) when (e is SafetensorsFormatException or IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"cannot read masks: {e.Message.Split(" (")[0]}", e);
        }
        if (file.Metadata.ContainsKey(Models.ModelFile.SpecKey))
            throw new DataFormatException(path, "this is a model's weights, not a mask file; vae masks make writes those");
        string name = TensorName(kind, fraction, split);
        if (!file.TryGetTensor(name, out var tensor))
            throw new DataFormatException(path, $"no tensor {name}; make it with vae masks make --kind {kind.ToString().ToLowerInvariant()} --fractions {fraction.ToString(CultureInfo.InvariantCulture)}");
        var shape = tensor.Shape;
        if (shape.Rank != 3 || shape[1] != rows || shape[2] != cols)
            throw new DataFormatException(path, $"{name} is {shape}, not (count, {rows}, {cols})");
        if (shape[0] < count) throw new DataFormatException(path, $"{name} holds {shape[0]} masks, {count} are needed");
        var values = tensor.Span;
        var masks = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != 0f && values[i] != 1f) throw new DataFormatException(path, $"{name} holds {values[i]} at {i}; masks are 1 (observed) or 0 (missing)");
            masks[i] = (byte)values[i];
        }
        return masks;
    }
}
