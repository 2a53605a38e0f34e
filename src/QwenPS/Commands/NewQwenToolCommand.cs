using System.Collections;
using System.Management.Automation;
using QwenPS.Chat.Tools;

namespace QwenPS.Commands
{
    /// <summary>
    /// New-QwenTool: a function the model may call, from a script block (with a JSON schema, or the schema read
    /// from its param() block) or from a command with the parameters chosen to expose. Offline: nothing is sent.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "QwenTool", DefaultParameterSetName = CommandSet)]
    [OutputType(typeof(QwenTool))]
    public sealed class NewQwenToolCommand : QwenCmdlet
    {
        private const string ScriptBlockSet = "ScriptBlock";
        private const string CommandSet = "Command";

        /// <summary>The function name the model sees; required with -ScriptBlock, the command's name by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ScriptBlockSet)]
        [ValidateNotNull]
        public ScriptBlock? ScriptBlock { get; set; }

        /// <summary>The JSON schema of the arguments: JSON text or a hashtable; else read from the script block's param() block.</summary>
        [Parameter(ParameterSetName = ScriptBlockSet)]
        [ValidateNotNull]
        public object? Parameter { get; set; }

        /// <summary>A command (Get-Command output, or a name) to offer as the tool.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = CommandSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public object? Command { get; set; }

        /// <summary>The command's parameters to expose (default: all of the parameter set, common parameters never).</summary>
        [Parameter(ParameterSetName = CommandSet)]
        [ValidateNotNullOrEmpty]
        public string[]? IncludeParameter { get; set; }

        /// <summary>The command's parameter set to expose (default: its default set). -ParameterSetName is an alias.</summary>
        [Parameter(ParameterSetName = CommandSet)]
        [Alias("ParameterSetName")]
        [ValidateNotNullOrEmpty]
        public string? ParameterSet { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Description { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var factory = new ToolFactory(this);
                if (ParameterSetName == CommandSet)
                {
                    object target = Command is PSObject wrapped ? wrapped.BaseObject : Command!;
                    CommandInfo command = target as CommandInfo ?? factory.Resolve(target as string ?? target.ToString());
                    WriteObject(factory.FromCommand(command, Name, Description, IncludeParameter, ParameterSet));
                    return;
                }

                if (Name == null)
                {
                    throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument,
                        "A script block tool needs -Name: the function name the model calls it by.") { Target = ScriptBlock };
                }

                WriteObject(factory.FromScriptBlock(ScriptBlock!, Name, Description, Parameter == null ? null : SchemaText(Parameter)));
            }
            catch (QwenException error)
            {
                ThrowQwenError(error);
            }
        }

        /// <summary>-Parameter as JSON text: a string as it is, a hashtable written as JSON; checked to be an object schema.</summary>
        private static string SchemaText(object value)
        {
            object item = value is PSObject wrapped ? wrapped.BaseObject : value;
            string json;
            if (item is string text)
            {
                json = text;
            }
            else if (item is IDictionary table)
            {
                json = ToolSchemaReader.ToJson(PowerShellValues.ToDictionary(table));
            }
            else
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument,
                    "-Parameter takes a JSON schema as text or as a hashtable; got " + item.GetType().FullName + ".") { Target = item };
            }

            string schema = ToolSchemaReader.Normalize(json, out string? error);
            if (error != null)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, error) { Target = json };
            }

            return schema;
        }
    }
}
