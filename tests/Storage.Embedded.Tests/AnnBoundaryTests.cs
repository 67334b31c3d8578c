using System.Reflection;
using System.Reflection.Emit;
using ClipSearch.Storage.Embedded.Ann;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// Ann/ is a graph library the store uses, never the other way round: no type of its namespace may mention a type of
/// the store root, in a signature, a field, a local or any instruction of a method body (which the compiler alone would
/// allow, the root being an enclosing namespace).
/// </summary>
public sealed class AnnBoundaryTests
{
    private const string StoreRoot = "ClipSearch.Storage.Embedded";

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void AnnTypes_EveryMemberAndMethodBody_ReferNothingInTheStoreRoot()
    {
        var annTypes = typeof(AnnIndex).Assembly.GetTypes().Where(t => t.Namespace == typeof(AnnIndex).Namespace).ToList();
        Assert.Contains(typeof(IGraphIndex), annTypes);
        var offences = annTypes.SelectMany(t => References(t).Where(InStoreRoot).Select(r => $"{t.FullName} uses {r.FullName}")).Distinct().ToList();
        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
    }

    [Fact]
    public void References_StoreTypeOnlyInAMethodBody_Found()
    {
        // The check itself: a store-root type that only an instruction names (no signature, field or local) is caught.
        Assert.Equal(0, CountOfAnEmptyTopK());
        Assert.Contains(typeof(TopK), References(typeof(AnnBoundaryTests)).Where(InStoreRoot));
    }

    private static int CountOfAnEmptyTopK() => new TopK(1, []).Count;

    private static bool InStoreRoot(Type type) => type.Namespace == StoreRoot;

    private static IEnumerable<Type> References(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            found.Add(baseType);
        }

        found.AddRange(type.GetInterfaces());
        found.AddRange(type.GetFields(All).Select(f => f.FieldType));
        found.AddRange(type.GetProperties(All).Select(p => p.PropertyType));
        found.AddRange(type.GetEvents(All).Select(e => e.EventHandlerType!));
        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                found.Add(info.ReturnType);
            }

            found.AddRange(BodyReferences(method));
        }

        return found.SelectMany(Expand);
    }

    /// <summary>A type with its element type and generic arguments, recursively (a List of a root type counts as a use).</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        var inner = type.HasElementType ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : [];
        foreach (var t in inner.SelectMany(Expand))
        {
            yield return t;
        }
    }

    /// <summary>The types of a method body's locals and those its instructions name (types, fields, methods and their owners).</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            yield break;
        }

        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }

        var il = body.GetILAsByteArray()!;
        var typeArguments = method.DeclaringType is { IsGenericType: true } owner ? owner.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[unchecked((short)(0xFE00 | il[at + 1]))] : OpCodesByValue[il[at]];
            at += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments)!;
                    if (member is Type named)
                    {
                        yield return named;
                    }
                    else
                    {
                        yield return member.DeclaringType!;
                        if (member is FieldInfo field)
                        {
                            yield return field.FieldType;
                        }
                        else if (member is MethodInfo called)
                        {
                            yield return called.ReturnType;
                            foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : [])
                            {
                                yield return argument;
                            }
                        }
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(code.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
