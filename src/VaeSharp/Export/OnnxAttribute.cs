namespace VaeSharp.Export;

/// <summary>A node attribute: a name and one int, list of ints or float (ONNX's AttributeProto, the kinds we use).</summary>
internal sealed record OnnxAttribute(string Name, long? Int = null, long[]? Ints = null, float? Float = null)
{
    // AttributeProto fields and AttributeType values, from onnx.proto.
    private const int NameField = 1, FloatField = 2, IntField = 3, IntsField = 8, TypeField = 20;
    private const int TypeFloat = 1, TypeInt = 2, TypeInts = 7;

    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);

    public static OnnxAttribute Of(string name, params long[] values) => new(name, Ints: values);

    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);

    public ProtoMessage ToProto()
    {
        var proto = new ProtoMessage().String(NameField, Name);
        if (Int is long value) return proto.Varint(IntField, value).Varint(TypeField, TypeInt);
        if (Ints is long[] values) return proto.Varints(IntsField, values).Varint(TypeField, TypeInts);
        return proto.Float(FloatField, Float ?? 0f).Varint(TypeField, TypeFloat);
    }
}
