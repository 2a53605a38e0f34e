namespace QwenPS
{
    /// <summary>Who runs the tools the model asks for (Invoke-QwenChat -ToolInvocation).</summary>
    public enum QwenToolInvocation
    {
        /// <summary>Nothing runs: the response carries the calls, and the caller answers them with New-QwenMessage -Role Tool.</summary>
        Manual,

        /// <summary>Each call is shown and runs only after a yes (ShouldContinue); "Yes to All" covers the rest of the loop.</summary>
        Confirm,

        /// <summary>Calls run without asking (runbooks): give only the commands the model may run.</summary>
        Auto,
    }
}
