using System;
using System.Management.Automation;
using System.Security;
using QwenPS.Http;

namespace QwenPS.Commands
{
    /// <summary>
    /// Connect-Qwen: sets this runspace's default key, endpoint and model. Other runspaces (ForEach-Object
    /// -Parallel, jobs) do not see them. It sends no request.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Qwen", DefaultParameterSetName = RegionSet)]
    [OutputType(typeof(QwenConnectionInfo))]
    public sealed class ConnectQwenCommand : QwenCmdlet
    {
        private const string RegionSet = "Region";
        private const string BaseUriSet = "BaseUri";

        [Parameter(Position = 0)]
        public SecureString? ApiKey { get; set; }

        [Parameter(ParameterSetName = RegionSet)]
        public QwenRegion Region { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = BaseUriSet)]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(QwenModelCompleter))]
        public string? Model { get; set; }

        protected override void EndProcessing()
        {
            try
            {
                QwenRegion? region = MyInvocation.BoundParameters.ContainsKey(nameof(Region)) ? Region : (QwenRegion?)null;
                Uri? baseUri = BaseUri != null ? QwenEndpoints.Validate(BaseUri) : null;
                Uri effective = QwenEndpoints.Resolve(baseUri, region, null, Environment);
                // Each call replaces this runspace's defaults as a whole (like a new sign-in).
                ConnectionStore.Set(RunspaceScope, new ConnectionDefaults(ApiKey?.Copy(), baseUri, region, Model));
                string source = ApiKey != null && ApiKey.Length > 0 ? "Connect-Qwen"
                    : !string.IsNullOrWhiteSpace(Environment(Http.ApiKey.EnvironmentVariable)) ? Http.ApiKey.EnvironmentVariable
                    : "None";
                if (source == "None")
                {
                    WriteWarning("No API key: pass -ApiKey or set $env:" + Http.ApiKey.EnvironmentVariable + " before calling the service.");
                }

                WriteVerbose("This runspace now uses " + effective + (Model != null ? " and model " + Model : string.Empty) + "; key from " + source + ".");
                WriteObject(new QwenConnectionInfo(region, effective, Model, source));
            }
            catch (QwenException error)
            {
                ThrowQwenError(error);
            }
        }
    }
}
