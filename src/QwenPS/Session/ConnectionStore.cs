using System.Runtime.CompilerServices;

namespace QwenPS.Session
{
    /// <summary>
    /// Per-runspace connection defaults. Keyed by the runspace object (weakly, so a closed runspace's key
    /// is collected with it): two runspaces never see each other's key, which a static field would allow.
    /// </summary>
    internal static class ConnectionStore
    {
        private static readonly ConditionalWeakTable<object, ConnectionDefaults> Defaults = new ConditionalWeakTable<object, ConnectionDefaults>();

        public static void Set(object scope, ConnectionDefaults defaults)
        {
            lock (Defaults)
            {
                if (Defaults.TryGetValue(scope, out ConnectionDefaults? previous) && !ReferenceEquals(previous.ApiKey, defaults.ApiKey))
                {
                    previous.ApiKey?.Dispose();
                }

                Defaults.Remove(scope);
                Defaults.Add(scope, defaults);
            }
        }

        public static ConnectionDefaults? Get(object? scope)
        {
            if (scope == null)
            {
                return null;
            }

            lock (Defaults)
            {
                return Defaults.TryGetValue(scope, out ConnectionDefaults? defaults) ? defaults : null;
            }
        }

        public static bool Clear(object? scope)
        {
            if (scope == null)
            {
                return false;
            }

            lock (Defaults)
            {
                if (Defaults.TryGetValue(scope, out ConnectionDefaults? defaults))
                {
                    defaults.ApiKey?.Dispose();
                    return Defaults.Remove(scope);
                }

                return false;
            }
        }
    }
}
