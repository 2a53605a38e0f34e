using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using QwenPS.Documents;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Files;
using Xunit;

namespace QwenPS.Tests.Documents
{
    /// <summary>
    /// The nine document cases of docs/dashscope-notes.md ("Passing documents to qwen-long"): by file id, as plain
    /// text and as a JSON string, each single, several, and appended in a later turn. Each expected body is copied
    /// from the published examples (the JSON-string ones are the reconstruction those notes describe). The request
    /// writer's body must hold exactly the same model, stream flag and messages; where the example asks for usage in
    /// the stream (file id, single) the whole body must match, stream_options included.
    /// </summary>
    public class DocumentBodyTests
    {
        private const string Assistant = "You are a helpful assistant.";

        private static QwenMessage System(string text) => new QwenMessage(QwenRole.System, text);

        private static QwenMessage User(string text) => new QwenMessage(QwenRole.User, text);

        private static QwenMessage Answer(string text) => new QwenMessage(QwenRole.Assistant, text);

        private static QwenMessage Ids(params string[] ids) => FileReferenceOperation.BuildReference(ids);

        private static QwenMessage Text(string text) => DocumentMessage.Create(text, QwenDocumentFormat.Text, DocumentMessage.DefaultTextFileName, null);

        private static QwenMessage Json(string text, string fileName, string title) => DocumentMessage.Create(text, QwenDocumentFormat.Json, fileName, title);

        private static JsonNode Body(params QwenMessage[] messages) =>
            JsonNode.Parse(ChatRequestWriter.Write(new ChatRequest("qwen-long", messages) { Stream = true }))!;

        private static void AssertSameMessages(string expected, JsonNode actual)
        {
            JsonNode reference = JsonNode.Parse(expected)!;
            Assert.Equal("qwen-long", (string?)actual["model"]);
            Assert.True((bool)actual["stream"]!);
            string want = reference["messages"]!.ToJsonString();
            string got = actual["messages"]!.ToJsonString();
            Assert.True(JsonNode.DeepEquals(reference["messages"], actual["messages"]), "expected " + want + "\n     got " + got);
        }

        [Fact]
        public void File_id_single_is_the_published_body_exactly()
        {
            const string expected = """
                {"model": "qwen-long", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [
                   {"role": "system", "content": "You are a helpful assistant."},
                   {"role": "system", "content": "fileid://file-fe-AAA"},
                   {"role": "user", "content": "What is this document about?"}]}
                """;
            JsonNode body = Body(System(Assistant), Ids("file-fe-AAA"), User("What is this document about?"));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), body), body.ToJsonString());
        }

        [Fact]
        public void File_id_several_share_one_system_message()
        {
            const string expected = """
                {"model": "qwen-long", "stream": true,
                 "messages": [
                   {"role": "system", "content": "You are a contract reviewer."},
                   {"role": "system", "content": "fileid://file-fe-AAA,fileid://file-fe-BBB"},
                   {"role": "user", "content": "List the payment terms that differ between the two contracts."}]}
                """;
            AssertSameMessages(expected, Body(System("You are a contract reviewer."), Ids("file-fe-AAA", "file-fe-BBB"), User("List the payment terms that differ between the two contracts.")));
        }

        [Fact]
        public void File_id_appended_later_follows_the_earlier_answer()
        {
            const string expected = """
                {"model": "qwen-long", "stream": true,
                 "messages": [
                   {"role": "system", "content": "You are a helpful assistant."},
                   {"role": "system", "content": "fileid://file-fe-AAA"},
                   {"role": "user", "content": "Summarise contract A."},
                   {"role": "assistant", "content": "Contract A is a 2-year service agreement…"},
                   {"role": "system", "content": "fileid://file-fe-BBB"},
                   {"role": "user", "content": "Now compare it with contract B."}]}
                """;
            AssertSameMessages(expected, Body(
                System(Assistant), Ids("file-fe-AAA"), User("Summarise contract A."),
                Answer("Contract A is a 2-year service agreement…"), Ids("file-fe-BBB"), User("Now compare it with contract B.")));
        }

        [Fact]
        public void Plain_text_single_is_the_text_itself()
        {
            const string expected = """
                {"model": "qwen-long", "stream": true,
                 "messages": [
                   {"role": "system", "content": "You are a helpful assistant."},
                   {"role": "system", "content": "Product brief: The X1 phone has a 6.1-inch screen, 4500 mAh battery…"},
                   {"role": "user", "content": "What is the battery capacity?"}]}
                """;
            AssertSameMessages(expected, Body(System(Assistant), Text("Product brief: The X1 phone has a 6.1-inch screen, 4500 mAh battery…"), User("What is the battery capacity?")));
        }

        [Fact]
        public void Plain_text_several_are_one_system_message_each()
        {
            const string expected = """
                {"model": "qwen-long", "stream": true,
                 "messages": [
                   {"role": "system", "content": "You are a helpful assistant."},
                   {"role": "system", "content": "Product brief X1: 6.1-inch screen, 4500 mAh…"},
                   {"role": "system", "content": "Product brief X2: 6.7-inch screen, 5000 mAh…"},
                   {"role": "user", "content": "Which phone has the bigger battery?"}]}
                """;
            AssertSameMessages(expected, Body(
                System(Assistant), Text("Product brief X1: 6.1-inch screen, 4500 mAh…"), Text("Product brief X2: 6.7-inch screen, 5000 mAh…"), User("Which phone has the bigger battery?")));
        }

        [Fact]
        public void Plain_text_appended_later_follows_the_earlier_answer()
        {
            const string expected = """
                {"model": "qwen-long", "stream": true,
                 "messages": [
                   {"role": "system", "content": "You are a helpful assistant."},
                   {"role": "system", "content": "Product brief X1: 6.1-inch screen, 4500 mAh…"},
                   {"role": "user", "content": "Summarise X1."},
                   {"role": "assistant", "content": "X1 is a compact phone with…"},
                   {"role": "system", "content": "Product brief X2: 6.7-inch screen, 5000 mAh…"},
                   {"role": "user", "content": "How does X2 differ?"}]}
                """;
            AssertSameMessages(expected, Body(
                System(Assistant), Text("Product brief X1: 6.1-inch screen, 4500 mAh…"), User("Summarise X1."),
                Answer("X1 is a compact phone with…"), Text("Product brief X2: 6.7-inch screen, 5000 mAh…"), User("How does X2 differ?")));
        }

        [Fact]
        public void Json_string_single_has_the_four_keys_in_the_published_order_and_spacing()
        {
            const string expected = """
                {"model": "qwen-long", "stream": true,
                 "messages": [
                   {"role": "system", "content": "You are a helpful assistant."},
                   {"role": "system", "content": "{\"content\": \"The X1 phone has a 6.1-inch screen…\", \"file_type\": \"docx\", \"filename\": \"x1.docx\", \"title\": \"X1 product brief\"}"},
                   {"role": "user", "content": "What is the screen size?"}]}
                """;
            AssertSameMessages(expected, Body(System(Assistant), Json("The X1 phone has a 6.1-inch screen…", "x1.docx", "X1 product brief"), User("What is the screen size?")));
        }

        [Fact]
        public void Json_string_several_are_one_system_message_each()
        {
            const string expected = """
                {"model": "qwen-long", "stream": true,
                 "messages": [
                   {"role": "system", "content": "You are a helpful assistant."},
                   {"role": "system", "content": "{\"content\": \"X1: 6.1-inch…\", \"file_type\": \"txt\", \"filename\": \"x1.txt\", \"title\": \"X1\"}"},
                   {"role": "system", "content": "{\"content\": \"X2: 6.7-inch…\", \"file_type\": \"txt\", \"filename\": \"x2.txt\", \"title\": \"X2\"}"},
                   {"role": "user", "content": "Compare X1 and X2."}]}
                """;
            AssertSameMessages(expected, Body(
                System(Assistant), Json("X1: 6.1-inch…", "x1.txt", "X1"), Json("X2: 6.7-inch…", "x2.txt", "X2"), User("Compare X1 and X2.")));
        }

        [Fact]
        public void Json_string_appended_later_follows_the_earlier_answer()
        {
            const string expected = """
                {"model": "qwen-long", "stream": true,
                 "messages": [
                   {"role": "system", "content": "You are a helpful assistant."},
                   {"role": "system", "content": "{\"content\": \"X1: 6.1-inch…\", \"file_type\": \"txt\", \"filename\": \"x1.txt\", \"title\": \"X1\"}"},
                   {"role": "user", "content": "Summarise X1."},
                   {"role": "assistant", "content": "X1 is a compact phone…"},
                   {"role": "system", "content": "{\"content\": \"X2: 6.7-inch…\", \"file_type\": \"txt\", \"filename\": \"x2.txt\", \"title\": \"X2\"}"},
                   {"role": "user", "content": "How does X2 differ?"}]}
                """;
            AssertSameMessages(expected, Body(
                System(Assistant), Json("X1: 6.1-inch…", "x1.txt", "X1"), User("Summarise X1."),
                Answer("X1 is a compact phone…"), Json("X2: 6.7-inch…", "x2.txt", "X2"), User("How does X2 differ?")));
        }

        [Fact]
        public void Json_string_escapes_quotes_newlines_and_backslashes_and_keeps_cjk_as_text()
        {
            string content = DocumentMessage.Create("第一行 \"引号\"\n\\ 结束", QwenDocumentFormat.Json, "报告.MD", null).Content!;

            Assert.Equal("{\"content\": \"第一行 \\\"引号\\\"\\n\\\\ 结束\", \"file_type\": \"md\", \"filename\": \"报告.MD\", \"title\": \"报告\"}", content);
            using JsonDocument parsed = JsonDocument.Parse(content);
            Assert.Equal("第一行 \"引号\"\n\\ 结束", parsed.RootElement.GetProperty("content").GetString());
        }

        [Fact]
        public void A_text_document_without_a_name_is_document_txt_titled_document()
        {
            using JsonDocument parsed = JsonDocument.Parse(DocumentMessage.Create("x", QwenDocumentFormat.Json, DocumentMessage.DefaultTextFileName, null).Content!);
            Assert.Equal(new[] { "content", "file_type", "filename", "title" }, parsed.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal("txt", parsed.RootElement.GetProperty("file_type").GetString());
            Assert.Equal("document.txt", parsed.RootElement.GetProperty("filename").GetString());
            Assert.Equal("document", parsed.RootElement.GetProperty("title").GetString());
        }
    }
}
