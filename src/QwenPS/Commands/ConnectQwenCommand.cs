using System;
using System.Management.Automation;
using System.Security;
using QwenPS.Engine;

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
            QwenRegion? region = MyInvocation.BoundParameters.ContainsKey(nameof(Region)) ? Region : (QwenRegion?)null;
            WriteObject(Guard(() => ConnectionOperations.Connect(CreateRunspaceScope(), ApiKey, region, BaseUri, Model, Environment, WriteWarning, WriteVerbose)));
        }
    }
}
