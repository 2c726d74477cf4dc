using System.Reflection;

namespace MesErpStreams.Avro.Internal.Codec;

/// <summary>How a .NET class, struct or record maps onto a record schema (discovered once, at codec build time).</summary>
internal sealed class TypeBinding
{
    private TypeBinding(Type type, ConstructorInfo? constructor, Dictionary<RecordField, PropertyInfo> members, Dictionary<RecordField, int> ctorArgs)
    {
        Type = type;
        Constructor = constructor;
        Members = members;
        CtorArgs = ctorArgs;
    }

    public Type Type { get; }

    /// <summary>Constructor used to create instances (null for structs built with their default value).</summary>
    public ConstructorInfo? Constructor { get; }

    /// <summary>Property bound to each schema field (fields without a property are absent).</summary>
    public Dictionary<RecordField, PropertyInfo> Members { get; }

    /// <summary>Constructor parameter index of each field passed through the constructor.</summary>
    public Dictionary<RecordField, int> CtorArgs { get; }

    public static string FieldKey(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    public static TypeBinding Create(Type type, RecordSchema schema)
    {
        if (type.IsAbstract || type.IsInterface || type.IsPrimitive || type == typeof(string))
        {
            throw new AvroBindingException($"Type {type.FullName} cannot bind record '{schema.FullName}': it is not a concrete class, struct or record");
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is not null && p.GetCustomAttribute<AvroIgnoreAttribute>() is null
                        && !(p.Name == "EqualityContract" && p.PropertyType == typeof(Type)))
            .ToList();

        // [AvroField] on a positional record's parameter lands on the constructor parameter, not the property.
        var parameterAttributes = type.GetConstructors()
            .SelectMany(c => c.GetParameters())
            .Select(p => (p.Name, Attribute: p.GetCustomAttribute<AvroFieldAttribute>()))
            .Where(p => p.Attribute is not null)
            .GroupBy(p => p.Name!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Attribute!, StringComparer.OrdinalIgnoreCase);
        var byAvroName = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        foreach (var p in properties)
        {
            var key = (p.GetCustomAttribute<AvroFieldAttribute>() ?? parameterAttributes.GetValueOrDefault(p.Name))?.Name ?? FieldKey(p.Name);
            if (!byAvroName.TryAdd(key, p))
            {
                throw new AvroBindingException($"Type {type.FullName}: properties '{byAvroName[key].Name}' and '{p.Name}' both bind the same Avro field");
            }
        }

        var members = new Dictionary<RecordField, PropertyInfo>();
        var bound = new HashSet<PropertyInfo>();
        foreach (var f in schema.Fields)
        {
            if (byAvroName.TryGetValue(f.Name, out var p) || byAvroName.TryGetValue(FieldKey(f.Name), out p))
            {
                members[f] = p;
                bound.Add(p);
            }
        }

        var ctorNames = new HashSet<string>(type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name!), StringComparer.OrdinalIgnoreCase);
        foreach (var p in properties)
        {
            if (!bound.Contains(p) && (p.SetMethod is { IsPublic: true } || ctorNames.Contains(p.Name)))
            {
                throw new AvroBindingException($"Type {type.FullName}: property '{p.Name}' has no field in record '{schema.FullName}' (add the field to the schema, or mark the property [AvroIgnore])");
            }
        }

        var constructor = ChooseConstructor(type, members);
        var ctorArgs = new Dictionary<RecordField, int>();
        var ctorParams = constructor?.GetParameters() ?? [];
        for (var i = 0; i < ctorParams.Length; i++)
        {
            var param = ctorParams[i];
            var field = members.FirstOrDefault(kv => string.Equals(kv.Value.Name, param.Name, StringComparison.OrdinalIgnoreCase)).Key;
            if (field is null)
            {
                if (!param.HasDefaultValue)
                {
                    throw new AvroBindingException($"Type {type.FullName}: constructor parameter '{param.Name}' has no Avro field in record '{schema.FullName}'");
                }

                continue;
            }

            ctorArgs[field] = i;
        }

        foreach (var p in properties)
        {
            var settable = p.SetMethod is { IsPublic: true };
            var inCtor = ctorParams.Any(c => string.Equals(c.Name, p.Name, StringComparison.OrdinalIgnoreCase));
            if (!bound.Contains(p) && (settable || inCtor))
            {
                throw new AvroBindingException($"Type {type.FullName}: property '{p.Name}' has no field in record '{schema.FullName}' (add the field to the schema, or mark the property [AvroIgnore])");
            }

            if (bound.Contains(p) && !settable && !inCtor)
            {
                var field = members.First(kv => kv.Value == p).Key;
                throw new AvroBindingException($"Type {type.FullName}: property '{p.Name}' (field '{field.Name}' of '{schema.FullName}') can neither be set nor passed to a constructor");
            }
        }

        return new TypeBinding(type, constructor, members, ctorArgs);
    }

    private static ConstructorInfo? ChooseConstructor(Type type, Dictionary<RecordField, PropertyInfo> members)
    {
        var names = new HashSet<string>(members.Values.Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
        var candidates = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => !(c.GetParameters().Length == 1 && c.GetParameters()[0].ParameterType == type))
            .Where(c => c.GetParameters().All(p => names.Contains(p.Name!) || p.HasDefaultValue))
            .OrderByDescending(c => c.GetParameters().Length)
            .ToList();
        if (candidates.Count > 0)
        {
            return candidates[0];
        }

        if (type.IsValueType)
        {
            return null;
        }

        throw new AvroBindingException($"Type {type.FullName} has no public constructor whose parameters all match Avro fields (or a parameterless one)");
    }
}
