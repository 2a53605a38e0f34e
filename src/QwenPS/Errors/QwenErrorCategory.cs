namespace QwenPS
{
    /// <summary>
    /// A copy of the <c>System.Management.Automation.ErrorCategory</c> names the module uses, so the
    /// engine does not load System.Management.Automation (it runs under xunit without PowerShell).
    /// The cmdlet layer converts by name; a metadata test checks every name exists in ErrorCategory.
    /// </summary>
    public enum QwenErrorCategory
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        InvalidResult,
        InvalidType,
        ObjectNotFound,
        OperationStopped,
        OperationTimeout,
        PermissionDenied,
        ResourceUnavailable,
        ReadError,
        ResourceExists,
        WriteError,
        SecurityError,
        ProtocolError,
        ConnectionError,
        AuthenticationError,
        LimitsExceeded,
        QuotaExceeded,
    }
}
