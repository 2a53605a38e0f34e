using System;
using System.Collections.Generic;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace QwenPS.Commands
{
    /// <summary>
    /// Resolves -Path (wildcards) and -LiteralPath values to file-system paths, the way the document cmdlets need:
    /// a path that does not exist, a wildcard that matches nothing, or a path outside the file system is an error
    /// naming it (so a chat never runs without the document it was meant to read).
    /// </summary>
    internal static class ProviderPaths
    {
        public static List<string> Resolve(SessionState sessionState, string path, bool literal)
        {
            ProviderInfo provider;
            var resolved = new List<string>();
            try
            {
                if (literal)
                {
                    resolved.Add(sessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _));
                }
                else
                {
                    resolved.AddRange(sessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider));
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException)
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "The file '" + path + "' does not exist.", ex) { Target = path };
            }

            if (resolved.Count == 0)
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "No file matches '" + path + "'.") { Target = path };
            }

            if (provider.ImplementingType != typeof(FileSystemProvider))
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "'" + path + "' is not a file system path.") { Target = path };
            }

            return resolved;
        }

        /// <summary>The file-system path of <paramref name="path"/> when it names an existing file there; else null.</summary>
        public static string? ExistingFile(SessionState sessionState, string path)
        {
            try
            {
                string full = sessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                return provider.ImplementingType == typeof(FileSystemProvider) && System.IO.File.Exists(full) ? full : null;
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException || ex is NotSupportedException || ex is ArgumentException || ex is ProviderNotFoundException)
            {
                return null;
            }
        }
    }
}
