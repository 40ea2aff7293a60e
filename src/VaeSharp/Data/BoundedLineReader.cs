using System.Text;

namespace VaeSharp.Data;

/// <summary>
/// Reads lines as <see cref="TextReader.ReadLine"/> does (a line ends at \n, \r\n or \r) but refuses one longer than
/// a limit, so that a file with no line ends (a binary file, <c>/dev/zero</c>) fails at once instead of filling memory.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLength)
{
    private readonly char[] _buffer = new char[1 << 16];
    private int _position, _length;
    private bool _afterCarriageReturn; // a \n right after a \r ends no second line

    /// <summary>The next line without its end, or null at the end of the text.</summary>
    /// <exception cref="InvalidDataException">The line is longer than the limit.</exception>
    public string? ReadLine()
    {
        StringBuilder? line = null;
        while (true)
        {
            if (_position == _length)
            {
                (_position, _length) = (0, reader.Read(_buffer));
                if (_length == 0) return line?.ToString();
            }
            if (_afterCarriageReturn)
            {
                _afterCarriageReturn = false;
                if (_buffer[_position] == '\n' && ++_position == _length) continue;
            }
            var rest = _buffer.AsSpan(_position, _length - _position);
            int end = rest.IndexOfAny('\r', '\n');
            var part = end < 0 ? rest : rest[..end];
            if ((line?.Length ?? 0) + part.Length > maxLength) throw new InvalidDataException($"a line is longer than {maxLength:N0} characters");
            (line ??= new StringBuilder()).Append(part);
            _position += part.Length;
            if (end < 0) continue;
            _afterCarriageReturn = _buffer[_position++] == '\r';
            return line.ToString();
        }
    }
}
