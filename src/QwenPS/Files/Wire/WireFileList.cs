using System.Collections.Generic;

namespace QwenPS.Files.Wire
{
    internal sealed class WireFileList
    {
        public List<WireFile>? Data { get; set; }

        public bool HasMore { get; set; }
    }
}
