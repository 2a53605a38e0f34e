namespace QwenPS.Chat.Tools
{
    /// <summary>One entry of the request's <c>tools</c> array: a function name, its description and the JSON schema
    /// of its arguments (JSON text, written as it is).</summary>
    internal sealed class ToolDefinition
    {
        public ToolDefinition(string name, string? description, string parametersJson)
        {
            Name = name;
            Description = description;
            ParametersJson = parametersJson;
        }

        public string Name { get; }

        public string? Description { get; }

        public string ParametersJson { get; }
    }
}
