namespace QwenPS
{
    /// <summary>How a tool call ended. Only <see cref="Succeeded"/> means the command ran without errors.
    /// QwenToolResult.Status gives its name, so the result exports as text (Export-Csv, ConvertTo-Json).</summary>
    internal enum QwenToolStatus
    {
        /// <summary>The command ran and wrote no error.</summary>
        Succeeded,

        /// <summary>The command ran but threw, failed parameter binding or wrote errors; the error text went back to the model.</summary>
        Failed,

        /// <summary>The user answered No at the confirmation prompt; the command did not run.</summary>
        Declined,

        /// <summary>The model named a tool that was not given; nothing ran.</summary>
        UnknownTool,

        /// <summary>The model's arguments were not a JSON object; nothing ran.</summary>
        InvalidArguments,
    }
}
