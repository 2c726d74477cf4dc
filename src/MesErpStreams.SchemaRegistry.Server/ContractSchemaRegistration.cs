using MesErpStreams.Avro;
using MesErpStreams.Contracts;

namespace MesErpStreams.SchemaRegistry.Server;

/// <summary>
/// Registers the canonical schemas embedded in MesErpStreams.Contracts under their topics' subjects — what
/// <c>meserp schemas register</c> does from a directory, for development hosts (<c>meserp embedded</c>,
/// <c>meserp run</c>) whose serializers run with auto-registration off.
/// </summary>
public static class ContractSchemaRegistration
{
    /// <summary>Registers every topic schema of <see cref="ContractSchemas.TopicSchemas"/>.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="strategy">Subject name strategy of the serializers. Default topic.</param>
    /// <param name="cancellationToken">Cancels the registration.</param>
    /// <returns>What was registered, one entry per subject.</returns>
    /// <exception cref="SchemaRegistryException">The registry refused a schema (e.g. 409: incompatible with what it holds).</exception>
    public static async Task<IReadOnlyList<RegisteredSchema>> RegisterAllAsync(
        ISchemaRegistryClient registry, SubjectNameStrategy strategy = SubjectNameStrategy.Topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var registered = new List<RegisteredSchema>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var info in ContractSchemas.TopicSchemas)
        {
            var schema = ContractSchemas.Get(info.File);
            var json = schema.ToJson();
            foreach (var topic in info.Topics)
            {
                var subject = SubjectNames.Get(strategy, topic, isKey: false, (schema as NamedSchema)?.FullName);
                if (!seen.Add(subject))
                {
                    continue;
                }

                await registry.RegisterSchemaAsync(subject, json, cancellationToken);
                registered.Add(await registry.LookupSchemaAsync(subject, json, cancellationToken));
            }
        }

        return registered;
    }
}
