using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using QwenPS.Engine;

namespace QwenPS.Documents
{
    /// <summary>
    /// Which file id already holds which content, so Invoke-QwenDocumentChat does not upload the same bytes twice:
    /// SHA-256 of the bytes → the file id, one JSON file per account and region under the user's data folder
    /// (<c>QwenPS/file-index/&lt;key&gt;.json</c>, the key a hash of the endpoint and the API key; the API key itself is
    /// never written). An entry is a hint: the caller checks the file still exists before using it. Thread-safe.
    /// Saving merges with what another process may have written meanwhile.
    /// </summary>
    internal sealed class FileIdIndex
    {
        private const int FormatVersion = 1;

        private readonly object _lock = new object();
        private readonly Dictionary<string, FileIdEntry> _entries;
        private readonly Dictionary<string, FileIdEntry?> _changes = new Dictionary<string, FileIdEntry?>(StringComparer.Ordinal);
        private readonly string _endpoint;

        private FileIdIndex(string path, string endpoint, Dictionary<string, FileIdEntry> entries)
        {
            FilePath = path;
            _endpoint = endpoint;
            _entries = entries;
        }

        public string FilePath { get; }

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _entries.Count;
                }
            }
        }

        /// <summary>The shared data folder (<see cref="QwenDataFolder"/>); the index lives in its file-index folder.</summary>
        public static string DataFolder(Func<string, string?> environment) => QwenDataFolder.Resolve(environment);

        /// <summary>The endpoint as the index names it: scheme, host, port and path; no user info, query or trailing slash.</summary>
        public static string EndpointName(Uri endpoint) =>
            endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/').ToLowerInvariant();

        /// <summary>A file name for the account and region: 32 hex digits of SHA-256 over the endpoint and the key.</summary>
        public static string AccountKey(Uri endpoint, string apiKey) => Sha256Hex(Encoding.UTF8.GetBytes(EndpointName(endpoint) + "\n" + apiKey)).Substring(0, 32);

        /// <summary>Loads the index for this account (empty when there is none yet). A damaged file is reported through
        /// <paramref name="warn"/> and treated as empty; it is replaced on the next save.</summary>
        public static FileIdIndex Load(string dataFolder, Uri endpoint, string apiKey, Action<string> warn)
        {
            string path = Path.Combine(dataFolder, "file-index", AccountKey(endpoint, apiKey) + ".json");
            return new FileIdIndex(path, EndpointName(endpoint), Read(path, warn));
        }

        public static string Sha256Hex(byte[] bytes)
        {
            using (SHA256 sha = SHA256.Create())
            {
                return Hex(sha.ComputeHash(bytes));
            }
        }

        /// <summary>SHA-256 of a file's bytes, read in pieces (never whole into memory).</summary>
        public static string Sha256OfFile(string path)
        {
            using (SHA256 sha = SHA256.Create())
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920))
            {
                return Hex(sha.ComputeHash(stream));
            }
        }

        public FileIdEntry? Find(string sha256)
        {
            lock (_lock)
            {
                return _entries.TryGetValue(sha256, out FileIdEntry? entry) ? entry : null;
            }
        }

        public void Record(string sha256, FileIdEntry entry)
        {
            lock (_lock)
            {
                _entries[sha256] = entry;
                _changes[sha256] = entry;
            }
        }

        /// <summary>Drops an entry whose file is gone (or unusable).</summary>
        public void Forget(string sha256)
        {
            lock (_lock)
            {
                _entries.Remove(sha256);
                _changes[sha256] = null;
            }
        }

        /// <summary>Writes this command's changes over what is on disk now (another process may have added entries), through a
        /// temporary file so a reader never sees half a file. A failure is reported through <paramref name="warn"/>: the
        /// index is a cache, and losing it costs an upload, never a result.</summary>
        public void Save(Action<string> warn)
        {
            lock (_lock)
            {
                if (_changes.Count == 0)
                {
                    return;
                }

                string? temp = null;
                try
                {
                    Dictionary<string, FileIdEntry> merged = Read(FilePath, _ => { });
                    foreach (KeyValuePair<string, FileIdEntry?> change in _changes)
                    {
                        if (change.Value == null)
                        {
                            merged.Remove(change.Key);
                        }
                        else
                        {
                            merged[change.Key] = change.Value;
                        }
                    }

                    // Owner-only on Unix, like the batch mapping files: the index says which documents this account holds.
                    PrivateFiles.CreateFolder(Path.GetDirectoryName(FilePath)!);
                    temp = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    byte[] bytes = Write(merged);
                    using (FileStream stream = PrivateFiles.CreateNew(temp, FileShare.None, 4096))
                    {
                        stream.Write(bytes, 0, bytes.Length);
                    }

                    if (File.Exists(FilePath))
                    {
                        File.Replace(temp, FilePath, null);
                    }
                    else
                    {
                        File.Move(temp, FilePath);
                    }

                    temp = null;
                    _changes.Clear();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    warn("Could not save the file-id index '" + FilePath + "': " + ex.Message + " The next run will upload these documents again.");
                }
                finally
                {
                    if (temp != null)
                    {
                        TryDelete(temp);
                    }
                }
            }
        }

        private static Dictionary<string, FileIdEntry> Read(string path, Action<string> warn)
        {
            var entries = new Dictionary<string, FileIdEntry>(StringComparer.Ordinal);
            byte[] bytes;
            try
            {
                if (!File.Exists(path))
                {
                    return entries;
                }

                bytes = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                warn("Could not read the file-id index '" + path + "': " + ex.Message + " Documents will be uploaded again.");
                return entries;
            }

            try
            {
                using (JsonDocument document = JsonDocument.Parse(bytes))
                {
                    JsonElement files = document.RootElement.GetProperty("files");
                    foreach (JsonProperty file in files.EnumerateObject())
                    {
                        JsonElement value = file.Value;
                        string? id = value.GetProperty("id").GetString();
                        if (string.IsNullOrEmpty(id))
                        {
                            continue;
                        }

                        entries[file.Name] = new FileIdEntry(
                            id!,
                            value.TryGetProperty("bytes", out JsonElement size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : -1,
                            value.TryGetProperty("fileName", out JsonElement name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
                            value.TryGetProperty("uploadedAt", out JsonElement at) && at.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset when) ? when : (DateTimeOffset?)null);
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException)
            {
                warn("The file-id index '" + path + "' is damaged and is ignored (" + ex.Message + "); it is rewritten on the next save.");
                entries.Clear();
            }

            return entries;
        }

        private byte[] Write(Dictionary<string, FileIdEntry> entries)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                {
                    json.WriteStartObject();
                    json.WriteNumber("version", FormatVersion);
                    json.WriteString("endpoint", _endpoint);
                    json.WriteStartObject("files");
                    foreach (KeyValuePair<string, FileIdEntry> pair in entries)
                    {
                        json.WriteStartObject(pair.Key);
                        json.WriteString("id", pair.Value.Id);
                        json.WriteNumber("bytes", pair.Value.Bytes);
                        if (pair.Value.FileName != null)
                        {
                            json.WriteString("fileName", pair.Value.FileName);
                        }

                        if (pair.Value.UploadedAt.HasValue)
                        {
                            json.WriteString("uploadedAt", pair.Value.UploadedAt.Value.ToString("o", CultureInfo.InvariantCulture));
                        }

                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                return buffer.ToArray();
            }
        }

        private static string Hex(byte[] hash)
        {
            var builder = new StringBuilder(hash.Length * 2);
            foreach (byte b in hash)
            {
                builder.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // A stray temporary file is harmless; the next save writes another.
            }
        }
    }
}
