using VaeSharp.Export;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Bench;

/// <summary>Writes each preset's encoder, decoder and (where one exists) whole-model ONNX graph, from seeded random weights.</summary>
internal static class OnnxPresetExports
{
    public static int Write(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var preset in Preset.All)
        {
            var model = new VaeModel(preset.Spec, new Rng(1));
            ModelPart[] parts = preset.Spec.Conditional ? [ModelPart.Encoder, ModelPart.Decoder] : [ModelPart.Encoder, ModelPart.Decoder, ModelPart.Vae];
            foreach (var part in parts)
            {
                string path = Path.Combine(folder, $"{preset.Name}-{(part == ModelPart.Vae ? "vae" : ModelFile.Name(part))}.onnx");
                OnnxExport.Save(model, part, path);
                Console.WriteLine(path);
            }
        }
        return 0;
    }
}
