using System;

namespace QwenPS.Tests.Support
{
    /// <summary>A random source that always draws the same number, so a jittered delay can be asserted exactly.</summary>
    internal sealed class FixedRandom : Random
    {
        private readonly double _sample;

        public FixedRandom(double sample) => _sample = sample;

        public override double NextDouble() => _sample;
    }
}
