using System.Text;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using Xunit;

namespace QwenPS.Tests.Unit
{
    /// <summary>Messages with content parts and partial mode, as the writer puts them on the wire.</summary>
    public class ContentPartTests
    {
        private static string Json(params QwenMessage[] messages) => Encoding.UTF8.GetString(ChatRequestWriter.Write(new ChatRequest("m", messages)));

        [Fact]
        public void A_text_message_is_sent_exactly_as_before_a_plain_string()
        {
            Assert.Equal(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"这是什么?\"},{\"role\":\"assistant\",\"content\":null}]}",
                Json(new QwenMessage(QwenRole.User, "这是什么?"), new QwenMessage(QwenRole.Assistant, null)));
        }

        [Fact]
        public void Every_part_kind_is_written_in_the_openai_part_array_shape()
        {
            var message = new QwenMessage(QwenRole.User, new[]
            {
                QwenContentPart.FromImage("https://example.com/a.png"),
                QwenContentPart.FromAudio("data:;base64,SUQz", "mp3"),
                QwenContentPart.FromVideo("https://example.com/clip.mp4"),
                QwenContentPart.FromVideoFrames(new[] { "https://example.com/f1.jpg", "https://example.com/f2.jpg" }),
                QwenContentPart.FromText("Describe them."),
            });

            Assert.Equal(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[" +
                "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}," +
                "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"data:;base64,SUQz\",\"format\":\"mp3\"}}," +
                "{\"type\":\"video_url\",\"video_url\":{\"url\":\"https://example.com/clip.mp4\"}}," +
                "{\"type\":\"video\",\"video\":[\"https://example.com/f1.jpg\",\"https://example.com/f2.jpg\"]}," +
                "{\"type\":\"text\",\"text\":\"Describe them.\"}]}]}",
                Json(message));
            Assert.Equal("Describe them.", message.Content);
            Assert.Equal(5, message.Parts.Count);
        }

        [Fact]
        public void A_cache_marker_goes_on_its_part()
        {
            var system = new QwenMessage(QwenRole.System, new[] { QwenContentPart.FromText("stable context").WithCache() });
            Assert.Equal(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"stable context\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}",
                Json(system));
            Assert.Equal("ephemeral", system.Parts[0].CacheControl);
        }

        [Fact]
        public void A_partial_assistant_message_says_so_and_others_do_not()
        {
            string json = Json(new QwenMessage(QwenRole.User, "Reverse a string in C#."), new QwenMessage(QwenRole.Assistant, "public static string Reverse(string s)\n{", null, null, partial: true));
            Assert.Equal(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Reverse a string in C#.\"},{\"role\":\"assistant\",\"content\":\"public static string Reverse(string s)\\n{\",\"partial\":true}]}",
                json);
        }

        [Fact]
        public void Content_joins_the_text_parts_and_is_null_without_any()
        {
            var two = new QwenMessage(QwenRole.User, new[] { QwenContentPart.FromText("a"), QwenContentPart.FromImage("https://x/y.png"), QwenContentPart.FromText("b") });
            Assert.Equal("a\nb", two.Content);
            Assert.Null(new QwenMessage(QwenRole.User, new[] { QwenContentPart.FromImage("https://x/y.png") }).Content);
            Assert.False(new QwenMessage(QwenRole.System, new[] { QwenContentPart.FromText("fileid://file-fe-1") }).IsFileReference);
        }
    }
}
