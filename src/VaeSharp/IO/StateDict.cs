using VaeSharp.Tensors;

namespace VaeSharp.IO;

/// <summary>
/// Strict loading of named parameters from a safetensors file, like PyTorch's <c>load_state_dict(strict=True)</c>:
/// the names and shapes must match exactly, and a mismatch is reported all at once.
/// </summary>
public static class StateDict
{
    // Past this many names per kind of mismatch the message says how many more, so it stays readable.
    private const int MaxNamesPerList = 10;

    /// <summary>
    /// Copies each tensor of <paramref name="file"/> into the parameter of the same name. Nothing is copied unless
    /// every name and shape matches; otherwise one exception lists the missing keys, the unexpected keys and the
    /// shape mismatches. A NaN or infinite value is refused too.
    /// </summary>
    /// <param name="file">The tensors read from disk.</param>
    /// <param name="parameters">The model's parameters, by dotted name; the values are overwritten.</param>
    /// <param name="sourceName">The name used in the error message, usually the file path.</param>
    /// <exception cref="SafetensorsFormatException">The file does not match the parameters.</exception>
    /// <exception cref="ArgumentException">A parameter name appears twice.</exception>
    public static void LoadInto(SafetensorsFile file, IReadOnlyList<(string Name, Tensor Target)> parameters, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(sourceName);

        var parameterNames = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var shapeMismatches = new List<string>();
        foreach (var (name, target) in parameters)
        {
            if (!parameterNames.Add(name)) throw new ArgumentException($"parameter '{name}' appears twice", nameof(parameters));
            if (!file.TryGetTensor(name, out var stored))
                missing.Add(name);
            else if (!stored.Shape.Equals(target.Shape))
                shapeMismatches.Add($"shape of {name} is {stored.Shape} in the file, {target.Shape} in the model");
        }
        var unexpected = file.Tensors.Select(entry => entry.Name).Where(name => !parameterNames.Contains(name)).ToList();

        if (missing.Count + unexpected.Count + shapeMismatches.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add("missing " + JoinLimited(missing));
            if (unexpected.Count > 0) parts.Add("unexpected " + JoinLimited(unexpected));
            if (shapeMismatches.Count > 0) parts.Add(JoinLimited(shapeMismatches, "; "));
            throw new SafetensorsFormatException(sourceName, "does not match the model: " + string.Join("; ", parts));
        }

        // A NaN weight would draw blank pictures and write "NaN" where JSON has no such number: refuse it here.
        if (parameters.FirstOrDefault(parameter => !AllFinite(file[parameter.Name].Span)).Name is string broken)
            throw new SafetensorsFormatException(sourceName, $"holds a NaN or infinite value in {broken}: the run diverged or the file is damaged");
        foreach (var (name, target) in parameters) file[name].Span.CopyTo(target.Span);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
            if (!float.IsFinite(value)) return false;
        return true;
    }

    private static string JoinLimited(List<string> items, string separator = ", ")
    {
        string shown = string.Join(separator, items.Take(MaxNamesPerList));
        return items.Count > MaxNamesPerList ? $"{shown}{separator}and {items.Count - MaxNamesPerList} more" : shown;
    }
}
