using System.Runtime.InteropServices;
using Google.Protobuf;

namespace VaeSharp.Export;

/// <summary>
/// One protobuf message written by hand with <see cref="CodedOutputStream"/>: fields are appended in the order they
/// are given, and a nested message is written as its finished bytes under a length-delimited tag. Repeated scalars are
/// written one tag per value (proto2's unpacked form), which every parser must accept.
/// </summary>
internal sealed class ProtoMessage
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    public ProtoMessage() => _output = new CodedOutputStream(_buffer, leaveOpen: true);

    /// <summary>An int32, int64 or enum field.</summary>
    public ProtoMessage Varint(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    /// <summary>A repeated int64 field, one entry per value.</summary>
    public ProtoMessage Varints(int field, IEnumerable<long> values)
    {
        foreach (long value in values) Varint(field, value);
        return this;
    }

    /// <summary>A float field.</summary>
    public ProtoMessage Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    /// <summary>A string field, UTF-8.</summary>
    public ProtoMessage String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    /// <summary>A bytes field holding float32 values in little-endian order, as ONNX's raw_data wants them.</summary>
    public ProtoMessage Floats(int field, ReadOnlySpan<float> values)
    {
        // The engine's tensors are little-endian in memory on every platform .NET 10 runs on; checked, not assumed.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw data is little-endian; this machine is not");
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(MemoryMarshal.AsBytes(values)));
        return this;
    }

    /// <summary>A nested message field.</summary>
    public ProtoMessage Message(int field, ProtoMessage message)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(UnsafeByteOperations.UnsafeWrap(message.ToArray()));
        return this;
    }

    /// <summary>The message's bytes so far.</summary>
    public byte[] ToArray()
    {
        _output.Flush();
        return _buffer.ToArray();
    }
}
