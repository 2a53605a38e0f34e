using System;

namespace QwenPS.Omni
{
    /// <summary>
    /// Decodes base64 that arrives in pieces split anywhere: inside a quad, between the '=' of a padding, or one
    /// character at a time. Up to three characters of an unfinished quad are carried to the next call, so the
    /// output is exactly the bytes of the concatenated text whatever the splits (docs/dashscope-notes.md, Qwen-Omni:
    /// the audio pieces are to be concatenated, then decoded). Padding in the middle ends a group and decoding goes on,
    /// so pieces that were each encoded on their own decode too. Whitespace is skipped; '-' and '_' are read as '+'
    /// and '/'. Memory: a few fields; nothing is buffered.
    /// </summary>
    internal sealed class Base64StreamDecoder
    {
        private const sbyte Invalid = -1;
        private const sbyte Space = -2;
        private const sbyte Pad = -3;

        private static readonly sbyte[] Map = BuildMap();

        private int _bits;
        private int _count;
        private bool _inPadding;

        /// <summary>Characters of an unfinished quad held for the next call (0–3).</summary>
        public int PendingChars => _count;

        /// <summary>The most bytes <see cref="Decode(string, int, int, byte[], int)"/> can write for <paramref name="chars"/> characters.</summary>
        public static int MaxBytes(int chars) => ((chars + 3) / 4 * 3) + 3;

        /// <summary>Decodes <paramref name="length"/> characters of <paramref name="text"/> from <paramref name="start"/>
        /// into <paramref name="output"/>; returns the number of bytes written.</summary>
        /// <exception cref="FormatException">A character that is not base64, or padding after a single character.</exception>
        public int Decode(string text, int start, int length, byte[] output, int outputOffset)
        {
            int o = outputOffset;
            int end = start + length;
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                sbyte value = c < 128 ? Map[c] : Invalid;
                if (value >= 0)
                {
                    _inPadding = false;
                    _bits = (_bits << 6) | (byte)value;
                    if (++_count == 4)
                    {
                        output[o++] = (byte)(_bits >> 16);
                        output[o++] = (byte)(_bits >> 8);
                        output[o++] = (byte)_bits;
                        _bits = 0;
                        _count = 0;
                    }

                    continue;
                }

                if (value == Space)
                {
                    continue;
                }

                if (value == Pad)
                {
                    o = EndGroup(c, i, output, o);
                    continue;
                }

                throw new FormatException("The audio data is not valid base64: character " + Describe(c) + " at position " + i + " of a piece.");
            }

            return o - outputOffset;
        }

        /// <summary>Forgets any unfinished quad (after a cut stream it cannot be completed).</summary>
        public void Reset()
        {
            _bits = 0;
            _count = 0;
            _inPadding = false;
        }

        private int EndGroup(char c, int position, byte[] output, int o)
        {
            switch (_count)
            {
                case 0 when _inPadding:
                    return o;      // the second '=' of "xx=="
                case 0:
                    return o;      // a stray '=' between groups carries no data
                case 1:
                    throw new FormatException("The audio data is not valid base64: " + Describe(c) + " at position " + position + " follows a single character.");
                case 2:
                    output[o++] = (byte)(_bits >> 4);
                    break;
                default:
                    output[o++] = (byte)(_bits >> 10);
                    output[o++] = (byte)(_bits >> 2);
                    break;
            }

            _bits = 0;
            _count = 0;
            _inPadding = true;
            return o;
        }

        private static string Describe(char c) => c < 32 || c > 126 ? "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : "'" + c + "'";

        private static sbyte[] BuildMap()
        {
            var map = new sbyte[128];
            for (int i = 0; i < map.Length; i++)
            {
                map[i] = Invalid;
            }

            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            for (int i = 0; i < alphabet.Length; i++)
            {
                map[alphabet[i]] = (sbyte)i;
            }

            map['-'] = 62;
            map['_'] = 63;
            map[' '] = Space;
            map['\t'] = Space;
            map['\r'] = Space;
            map['\n'] = Space;
            map['='] = Pad;
            return map;
        }
    }
}
