using System;
using System.Collections.Generic;
using System.Reflection;
using System.Security;
using Xunit;
using QwenPS.Module;
using QwenPS.Session;
using QwenPS.Transport;

namespace QwenPS.Tests.Unit
{
    public class EndpointTests
    {
        private static Func<string, string?> Env(params (string Name, string Value)[] values)
        {
            var map = new Dictionary<string, string>();
            foreach (var (name, value) in values)
            {
                map[name] = value;
            }

            return name => map.TryGetValue(name, out string? v) ? v : null;
        }

        [Theory]
        [InlineData(QwenRegion.Beijing, "https://dashscope.aliyuncs.com/compatible-mode/v1")]
        [InlineData(QwenRegion.Singapore, "https://dashscope-intl.aliyuncs.com/compatible-mode/v1")]
        [InlineData(QwenRegion.US, "https://dashscope-us.aliyuncs.com/compatible-mode/v1")]
        [InlineData(QwenRegion.HongKong, "https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1")]
        public void Regions_map_to_the_documented_base_urls(QwenRegion region, string expected)
        {
            Assert.Equal(expected, QwenEndpoints.ForRegion(region).AbsoluteUri);
            Assert.Equal(expected, QwenEndpoints.Resolve(null, region, null, Env()).AbsoluteUri);
        }

        [Fact]
        public void Resolution_order_is_base_uri_region_session_environment_beijing()
        {
            var session = new ConnectionDefaults(null, new Uri("https://session.example/v1"), null, null);
            var env = Env((QwenEndpoints.BaseUrlVariable, "https://env.example/compatible-mode/v1/"));

            Assert.Equal("https://explicit.example/v1", QwenEndpoints.Resolve(new Uri("https://explicit.example/v1/"), null, session, env).AbsoluteUri);
            Assert.Equal("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", QwenEndpoints.Resolve(null, QwenRegion.Singapore, session, env).AbsoluteUri);
            Assert.Equal("https://session.example/v1", QwenEndpoints.Resolve(null, null, session, env).AbsoluteUri);
            Assert.Equal("https://env.example/compatible-mode/v1", QwenEndpoints.Resolve(null, null, null, env).AbsoluteUri);
            Assert.Equal("https://dashscope.aliyuncs.com/compatible-mode/v1", QwenEndpoints.Resolve(null, null, null, Env()).AbsoluteUri);
        }

        [Theory]
        [InlineData("http://127.0.0.1:5000/compatible-mode/v1")]
        [InlineData("http://localhost:5000/v1")]
        [InlineData("http://[::1]:5000/v1")]
        [InlineData("http://127.8.9.10/v1")]
        public void Plain_http_is_allowed_to_loopback(string uri)
        {
            Assert.Equal(Uri.UriSchemeHttp, QwenEndpoints.Validate(new Uri(uri)).Scheme);
        }

        [Theory]
        [InlineData("http://dashscope.aliyuncs.com/compatible-mode/v1")]
        [InlineData("http://10.0.0.5/v1")]
        [InlineData("http://localhost.evil.example/v1")]
        public void Plain_http_to_any_other_host_is_refused(string uri)
        {
            var error = Assert.Throws<QwenException>(() => QwenEndpoints.Validate(new Uri(uri)));
            Assert.Equal(QwenErrorIds.InsecureEndpoint, error.ErrorId);
            Assert.Equal(QwenErrorCategory.SecurityError, error.Category);
        }

        [Theory]
        [InlineData("ftp://example.com/v1", QwenErrorIds.InvalidEndpoint)]
        [InlineData("https://user:pass@example.com/v1", QwenErrorIds.InvalidEndpoint)]
        public void Other_schemes_and_credentials_in_the_uri_are_refused(string uri, string id)
        {
            Assert.Equal(id, Assert.Throws<QwenException>(() => QwenEndpoints.Validate(new Uri(uri))).ErrorId);
        }

        [Fact]
        public void A_region_set_by_connect_qwen_is_used_by_later_calls_unless_they_say_otherwise()
        {
            var session = new ConnectionDefaults(null, null, QwenRegion.Singapore, null);
            var env = Env((QwenEndpoints.BaseUrlVariable, "https://env.example/v1"));
            Assert.Equal("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", QwenEndpoints.Resolve(null, null, session, env).AbsoluteUri);
            Assert.Equal("https://dashscope-us.aliyuncs.com/compatible-mode/v1", QwenEndpoints.Resolve(null, QwenRegion.US, session, env).AbsoluteUri);
            Assert.Equal("https://explicit.example/v1", QwenEndpoints.Resolve(new Uri("https://explicit.example/v1"), null, session, env).AbsoluteUri);
        }

        [Fact]
        public void Region_and_base_uri_together_are_refused()
        {
            var error = Assert.Throws<QwenException>(() => QwenEndpoints.Resolve(new Uri("https://x.example"), QwenRegion.US, null, Env()));
            Assert.Equal(QwenErrorIds.InvalidArgument, error.ErrorId);
        }

        [Fact]
        public void A_malformed_environment_base_url_is_a_clear_error()
        {
            var error = Assert.Throws<QwenException>(() => QwenEndpoints.Resolve(null, null, null, Env((QwenEndpoints.BaseUrlVariable, "not a uri"))));
            Assert.Equal(QwenErrorIds.InvalidEndpoint, error.ErrorId);
            Assert.Contains(QwenEndpoints.BaseUrlVariable, error.Message);
        }
    }

    public class ApiKeyTests
    {
        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        [Fact]
        public void Resolution_order_is_parameter_session_environment()
        {
            var session = new ConnectionDefaults(Secure("sk-session"), null, null, null);
            Func<string, string?> env = name => name == ApiKey.EnvironmentVariable ? " sk-env " : null;

            Assert.Equal("sk-param", ApiKey.Resolve(Secure("sk-param"), session, env).Reveal());
            Assert.Equal("sk-session", ApiKey.Resolve(null, session, env).Reveal());
            Assert.Equal("sk-env", ApiKey.Resolve(null, null, env).Reveal());
            Assert.Equal("DASHSCOPE_API_KEY", ApiKey.Resolve(null, null, env).Source);
        }

        [Fact]
        public void A_missing_key_is_a_clear_authentication_error()
        {
            var error = Assert.Throws<QwenException>(() => ApiKey.Resolve(null, null, _ => null));
            Assert.Equal(QwenErrorIds.MissingApiKey, error.ErrorId);
            Assert.Equal(QwenErrorCategory.AuthenticationError, error.Category);
            Assert.Contains("DASHSCOPE_API_KEY", error.Message);
        }

        [Fact]
        public void ToString_never_shows_the_key()
        {
            ApiKey key = ApiKey.Resolve(Secure("sk-canary-tostring"), null, _ => null);
            Assert.DoesNotContain("canary", key.ToString());
        }

        [Fact]
        public void A_secure_key_is_never_stored_as_text_even_after_being_revealed()
        {
            ApiKey key = ApiKey.Resolve(Secure("sk-canary-field"), null, _ => null);
            Assert.Equal("sk-canary-field", key.Reveal());
            foreach (FieldInfo field in typeof(ApiKey).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
            {
                Assert.NotEqual("sk-canary-field", field.GetValue(key) as string);
            }
        }
    }

    public class ConnectionStoreTests
    {
        [Fact]
        public void Two_runspaces_never_see_each_others_defaults()
        {
            object runspaceA = new object();
            object runspaceB = new object();
            var secure = new SecureString();
            secure.AppendChar('k');
            ConnectionStore.Set(runspaceA, new ConnectionDefaults(secure, null, QwenRegion.US, "qwq-plus"));

            Assert.Equal("qwq-plus", ConnectionStore.Get(runspaceA)!.Model);
            Assert.Null(ConnectionStore.Get(runspaceB));

            ConnectionStore.Set(runspaceA, new ConnectionDefaults(null, null, null, "qwen-max"));
            Assert.Equal("qwen-max", ConnectionStore.Get(runspaceA)!.Model);
            // The replaced key was disposed, not left in memory.
            Assert.Throws<ObjectDisposedException>(() => secure.Length);
            Assert.True(ConnectionStore.Clear(runspaceA));
            Assert.Null(ConnectionStore.Get(runspaceA));
            Assert.False(ConnectionStore.Clear(runspaceA));
        }
    }

    public class EnvironmentProxyTests
    {
        private static Func<string, string?> Env(IDictionary<string, string> values) => name => values.TryGetValue(name, out string? v) ? v : null;

        [Fact]
        public void No_variables_means_no_environment_proxy()
        {
            Assert.Null(EnvironmentProxy.FromEnvironment(_ => null));
        }

        [Fact]
        public void Https_proxy_applies_to_https_and_no_proxy_bypasses_domains_and_subdomains()
        {
            var proxy = EnvironmentProxy.FromEnvironment(Env(new Dictionary<string, string>
            {
                ["https_proxy"] = "proxy.corp:3128",
                ["NO_PROXY"] = "localhost, .internal.example,aliyuncs.com:443",
            }))!;

            Assert.Equal(new Uri("http://proxy.corp:3128"), proxy.GetProxy(new Uri("https://api.openai.example/v1")));
            Assert.True(proxy.IsBypassed(new Uri("https://dashscope.aliyuncs.com/compatible-mode/v1")));
            Assert.True(proxy.IsBypassed(new Uri("https://aliyuncs.com/")));
            Assert.True(proxy.IsBypassed(new Uri("https://a.internal.example/")));
            Assert.True(proxy.IsBypassed(new Uri("http://localhost:5000/")));
            Assert.False(proxy.IsBypassed(new Uri("https://notaliyuncs.com/")));
            // Only HTTPS_PROXY is set, so plain http goes direct.
            Assert.True(proxy.IsBypassed(new Uri("http://example.com/")));
        }

        [Fact]
        public void All_proxy_is_the_fallback_and_credentials_in_the_url_are_used()
        {
            var proxy = EnvironmentProxy.FromEnvironment(Env(new Dictionary<string, string> { ["ALL_PROXY"] = "http://me:p%40ss@proxy:8080" }))!;
            Assert.Equal("proxy", proxy.GetProxy(new Uri("https://dashscope.aliyuncs.com"))!.Host);
            var credential = (System.Net.NetworkCredential)proxy.Credentials!;
            Assert.Equal("me", credential.UserName);
            Assert.Equal("p@ss", credential.Password);
        }

        [Fact]
        public void A_star_bypasses_everything()
        {
            var proxy = EnvironmentProxy.FromEnvironment(Env(new Dictionary<string, string> { ["HTTPS_PROXY"] = "http://p:1", ["no_proxy"] = "*" }))!;
            Assert.True(proxy.IsBypassed(new Uri("https://dashscope.aliyuncs.com")));
        }
    }

    public class DependencyResolverTests
    {
        private const string Folder = "/modules/QwenPS/bin";

        [Fact]
        public void A_shipped_dependency_resolves_from_the_module_folder_when_new_enough()
        {
            string? path = DependencyResolver.FindAssemblyPath(
                new AssemblyName("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"),
                Folder,
                _ => true,
                _ => new Version(4, 0, 1, 2));
            Assert.Equal(System.IO.Path.Combine(Folder, "System.Memory.dll"), path);
        }

        [Fact]
        public void An_older_file_a_missing_file_or_a_foreign_assembly_is_not_answered()
        {
            var requested = new AssemblyName("System.Text.Json, Version=8.0.0.5");
            Assert.Null(DependencyResolver.FindAssemblyPath(requested, Folder, _ => true, _ => new Version(6, 0, 0, 0)));
            Assert.Null(DependencyResolver.FindAssemblyPath(requested, Folder, _ => false, _ => new Version(8, 0, 0, 5)));
            Assert.Null(DependencyResolver.FindAssemblyPath(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0"), Folder, _ => true, _ => new Version(13, 0, 0, 0)));
        }

        [Theory]
        [InlineData(".NET Framework 4.8.9167.0", true)]
        [InlineData(".NET 8.0.11", false)]
        public void Tls12_is_forced_only_on_dotnet_framework(string description, bool expected)
        {
            Assert.Equal(expected, DependencyResolver.NeedsTls12(description));
        }
    }
}
