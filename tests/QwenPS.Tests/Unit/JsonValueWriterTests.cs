using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Xunit;
using QwenPS.Chat.Wire;
using QwenPS.Transport;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// What -AdditionalParameter sends for each kind of value a PowerShell hashtable can hold (docs/dashscope-notes.md,
    /// "Chat request body"): the exact JSON, and the depth guard that refuses a runaway nesting before any request.
    /// </summary>
    public class JsonValueWriterTests
    {
        private static string Json(object? value)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, ChatRequestWriter.WriterOptions))
            {
                JsonValueWriter.Write(writer, value, "p");
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private enum Strategy
        {
            Turbo,
            Max,
        }

        private sealed class Opaque
        {
            public override string ToString() => "opaque value";
        }

        public static IEnumerable<object?[]> Scalars => new[]
        {
            new object?[] { null, "null" },
            new object?[] { "文本 \"q\"", "\"文本 \\\"q\\\"\"" },
            new object?[] { true, "true" },
            new object?[] { false, "false" },
            new object?[] { 'x', "\"x\"" },
            new object?[] { -7, "-7" },
            new object?[] { 9007199254740993L, "9007199254740993" },
            new object?[] { (short)-12, "-12" },
            new object?[] { (byte)200, "200" },
            new object?[] { (sbyte)-100, "-100" },
            new object?[] { (ushort)65000, "65000" },
            new object?[] { 4000000000u, "4000000000" },
            new object?[] { 18446744073709551615ul, "18446744073709551615" },
            new object?[] { 0.1m, "0.1" },
            new object?[] { 0.5f, "0.5" },
            new object?[] { 0.25, "0.25" },
            new object?[] { new DateTime(2026, 12, 1, 22, 5, 7, DateTimeKind.Utc), "\"2026-12-01T22:05:07.0000000Z\"" },
            new object?[] { new DateTimeOffset(2026, 12, 1, 22, 5, 7, TimeSpan.FromHours(8)), "\"2026-12-01T22:05:07.0000000+08:00\"" },
            new object?[] { new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), "\"0f8fad5b-d9cb-469f-a165-70867728950e\"" },
            new object?[] { new Uri("https://example.com/a%20b?q=1", UriKind.Absolute), "\"https://example.com/a%20b?q=1\"" },
            new object?[] { Strategy.Max, "\"Max\"" },
            new object?[] { new Opaque(), "\"opaque value\"" },
        };

        [Theory]
        [MemberData(nameof(Scalars))]
        public void Each_kind_of_value_is_written_as_the_json_a_user_expects(object? value, string expected)
        {
            Assert.Equal(expected, Json(value));
        }

        [Fact]
        public void A_json_element_is_copied_as_it_is()
        {
            using JsonDocument document = JsonDocument.Parse("{\"a\":[1,{\"b\":null}],\"c\":\"d\"}");
            Assert.Equal("{\"a\":[1,{\"b\":null}],\"c\":\"d\"}", Json(document.RootElement));
        }

        [Fact]
        public void Maps_become_objects_with_text_keys_and_sequences_become_arrays_in_order()
        {
            var map = new Hashtable { [1] = new List<object?> { "a", 2, null } };
            Assert.Equal("{\"1\":[\"a\",2,null]}", Json(map));
        }

        [Theory]
        [InlineData(double.NaN)]
        [InlineData(double.PositiveInfinity)]
        [InlineData(double.NegativeInfinity)]
        public void A_non_finite_double_is_refused_with_its_path(double value)
        {
            var error = Assert.Throws<QwenException>(() => Json(new Hashtable { ["x"] = new object[] { 1, value } }));
            Assert.Equal(QwenErrorIds.InvalidArgument, error.ErrorId);
            Assert.Equal(QwenErrorCategory.InvalidArgument, error.Category);
            Assert.Equal("p.x[1]", error.Target);
            Assert.Equal("The additional parameter 'p.x[1]' is not a finite number.", error.Message);
        }

        [Fact]
        public void A_non_finite_float_is_refused()
        {
            var error = Assert.Throws<QwenException>(() => Json(float.NaN));
            Assert.Equal("p", error.Target);
        }

        private static object Nested(int levels)
        {
            object value = "leaf";
            for (int i = 0; i < levels; i++)
            {
                value = new object[] { value };
            }

            return value;
        }

        [Fact]
        public void Thirty_two_levels_of_nesting_are_written()
        {
            string json = Json(Nested(32));
            Assert.StartsWith(new string('[', 32) + "\"leaf\"", json);
        }

        [Fact]
        public void A_thirty_third_level_is_refused_with_the_path_where_it_starts()
        {
            var error = Assert.Throws<QwenException>(() => Json(Nested(33)));
            Assert.Equal(QwenErrorIds.InvalidArgument, error.ErrorId);
            Assert.Equal("p" + string.Concat(System.Linq.Enumerable.Repeat("[0]", 33)), error.Target);
            Assert.Contains("is nested more than 32 levels deep", error.Message);
        }
    }
}
