using System.Linq.Expressions;
using System.Reflection;

namespace MesErpStreams.Avro.Internal.Codec;

/// <summary>
/// Compiles, once per (writer, reader, type), a record decoder into a delegate: fields are read in writer order into
/// typed locals (writer-only fields skipped, reader-only fields filled from their defaults), then the object is built
/// through its constructor and setters. No reflection runs per record.
/// </summary>
internal static class RecordReaderCompiler
{
    private static readonly MethodInfo EnterMethod = typeof(AvroReader).GetMethod(nameof(AvroReader.Enter))!;
    private static readonly MethodInfo ExitMethod = typeof(AvroReader).GetMethod(nameof(AvroReader.Exit))!;
    private static readonly MethodInfo SkipMethod = typeof(Skipper).GetMethod(nameof(Skipper.Skip))!;
    private static readonly MethodInfo DefaultMethod = typeof(RecordReaderCompiler).GetMethod(nameof(ReadDefault), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static void Compile(ReaderBuilder builder, RecordSchema w, RecordSchema r, Type t, Dictionary<RecordField, RecordField> writerToReader, object deferred)
    {
        var binding = TypeBinding.Create(t, r);
        var rParam = Expression.Parameter(typeof(AvroReader).MakeByRefType(), "r");
        var locals = new Dictionary<RecordField, ParameterExpression>();
        foreach (var (field, property) in binding.Members)
        {
            locals[field] = Expression.Variable(property.PropertyType, field.Name);
        }

        var body = new List<Expression> { Expression.Call(rParam, EnterMethod) };
        foreach (var wf in w.Fields)
        {
            if (writerToReader.TryGetValue(wf, out var rf) && locals.TryGetValue(rf, out var local))
            {
                var where = ReaderBuilder.Where(t, binding.Members[rf].Name) + $" (field '{rf.Name}')";
                var node = builder.Build(wf.Schema, rf.Schema, local.Type, where);
                body.Add(Expression.Assign(local, ReadCall(node, local.Type, rParam)));
            }
            else
            {
                body.Add(Expression.Call(SkipMethod, rParam, Expression.Constant(wf.Schema, typeof(Schema))));
            }
        }

        var supplied = new HashSet<RecordField>(writerToReader.Values);
        foreach (var rf in r.Fields)
        {
            if (!supplied.Contains(rf) && locals.TryGetValue(rf, out var local))
            {
                var where = ReaderBuilder.Where(t, binding.Members[rf].Name) + $" (default of field '{rf.Name}')";
                var node = builder.Build(rf.Schema, rf.Schema, local.Type, where);
                var bytes = DefaultValueEncoder.Encode(rf.Schema, rf.DefaultJson!);
                body.Add(Expression.Assign(local, Expression.Call(DefaultMethod.MakeGenericMethod(local.Type),
                    Expression.Constant(node), Expression.Constant(bytes))));
            }
        }

        body.Add(Expression.Call(rParam, ExitMethod));
        body.Add(Construct(binding, locals));
        var lambdaType = typeof(DeferredReader<>.ReadFn).MakeGenericType(t);
        var lambda = Expression.Lambda(lambdaType, Expression.Block(t, locals.Values, body), $"Read_{r.Name}", [rParam]);
        deferred.GetType().GetProperty(nameof(DeferredReader<object>.Fn))!.SetValue(deferred, lambda.Compile());
    }

    private static MethodCallExpression ReadCall(object node, Type type, ParameterExpression rParam)
    {
        var readerType = typeof(ValueReader<>).MakeGenericType(type);
        return Expression.Call(Expression.Constant(node, readerType), readerType.GetMethod(nameof(ValueReader<object>.Read))!, rParam);
    }

    private static TField ReadDefault<TField>(ValueReader<TField> node, byte[] bytes)
    {
        var r = new AvroReader(bytes);
        return node.Read(ref r);
    }

    private static Expression Construct(TypeBinding binding, Dictionary<RecordField, ParameterExpression> locals)
    {
        var t = binding.Type;
        var assigned = new HashSet<RecordField>();
        Expression created;
        if (binding.Constructor is { } ctor)
        {
            var parameters = ctor.GetParameters();
            var args = new Expression[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                var field = binding.CtorArgs.FirstOrDefault(kv => kv.Value == i).Key;
                if (field is not null && locals.TryGetValue(field, out var local))
                {
                    args[i] = ConvertIfNeeded(local, parameters[i].ParameterType);
                    assigned.Add(field);
                }
                else
                {
                    args[i] = parameters[i].HasDefaultValue && parameters[i].DefaultValue is not null
                        ? Expression.Constant(parameters[i].DefaultValue, parameters[i].ParameterType)
                        : Expression.Default(parameters[i].ParameterType);
                }
            }

            created = Expression.New(ctor, args);
        }
        else
        {
            created = Expression.New(t);
        }

        var setters = binding.Members.Where(kv => !assigned.Contains(kv.Key) && kv.Value.SetMethod is { IsPublic: true }).ToList();
        if (setters.Count == 0)
        {
            return created;
        }

        var instance = Expression.Variable(t, "instance");
        var block = new List<Expression> { Expression.Assign(instance, created) };
        foreach (var (field, property) in setters)
        {
            block.Add(Expression.Assign(Expression.Property(instance, property), locals[field]));
        }

        block.Add(instance);
        return Expression.Block(t, [instance], block);
    }

    private static Expression ConvertIfNeeded(Expression e, Type type) => e.Type == type ? e : Expression.Convert(e, type);
}
