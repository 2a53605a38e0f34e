namespace QwenPS
{
    /// <summary>What a <see cref="QwenContentPart"/> carries.</summary>
    public enum QwenContentPartKind
    {
        /// <summary>Text (<c>{"type":"text"}</c>).</summary>
        Text,

        /// <summary>An image by URL or data URL (<c>{"type":"image_url"}</c>).</summary>
        Image,

        /// <summary>Audio by URL or data URL, with its container format (<c>{"type":"input_audio"}</c>).</summary>
        Audio,

        /// <summary>A video file by URL or data URL (<c>{"type":"video_url"}</c>).</summary>
        Video,

        /// <summary>A video given as a list of frame images (<c>{"type":"video"}</c>).</summary>
        VideoFrames,
    }
}
