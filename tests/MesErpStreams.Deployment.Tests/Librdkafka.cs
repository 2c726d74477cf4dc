using System.Runtime.InteropServices;

namespace MesErpStreams.Deployment.Tests;

/// <summary>librdkafka's own configuration parser (rd_kafka_conf_set): the authority on property names and values.</summary>
internal static partial class Librdkafka
{
    public enum ConfResult
    {
        Unknown = -2,
        Invalid = -1,
        Ok = 0,
    }

    /// <summary>Sets <paramref name="name"/> = <paramref name="value"/> on a fresh configuration; the error text is librdkafka's.</summary>
    public static (ConfResult Result, string Error) TrySet(string name, string value)
    {
        var conf = ConfNew();
        try
        {
            var buffer = new byte[512];
            var result = (ConfResult)ConfSet(conf, name, value, buffer, (nuint)buffer.Length);
            var error = System.Text.Encoding.UTF8.GetString(buffer, 0, Math.Max(0, Array.IndexOf(buffer, (byte)0)));
            return (result, error);
        }
        finally
        {
            ConfDestroy(conf);
        }
    }

    [LibraryImport("librdkafka", EntryPoint = "rd_kafka_conf_new")]
    private static partial IntPtr ConfNew();

    [LibraryImport("librdkafka", EntryPoint = "rd_kafka_conf_destroy")]
    private static partial void ConfDestroy(IntPtr conf);

    [LibraryImport("librdkafka", EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ConfSet(IntPtr conf, string name, string value, [Out] byte[] errstr, nuint errstrSize);
}
