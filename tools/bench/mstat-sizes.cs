// What a NativeAOT executable is made of, by assembly and by namespace: reads the .mstat file ILC writes
// with -p:IlcGenerateMstatFile=true (tools/bench/agent-size-breakdown.sh passes it) and sums the compiled
// methods (code + GC info + EH info), the types' data structures (MethodTables and what hangs off them)
// (types), static data and preinitialized objects (data), and the named blobs (runtime tables, metadata).
//
//   dotnet run tools/bench/mstat-sizes.cs -- <file.mstat> [TOP]          # TOP rows per table, default 25
//
// The .mstat is an ECMA-335 assembly whose global type holds three methods, "Types", "Methods" and
// "Blobs". Their IL is a list of records: a token (ldtoken of a type or method, or ldstr of a blob's
// name) followed by ldc.i4 sizes; RvaFields and FrozenObjects list static data the same way. A generic instantiation counts towards the assembly and namespace of
// its definition, as sizoscope does.
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: dotnet run tools/bench/mstat-sizes.cs -- <file.mstat> [TOP]");
    return 2;
}
var top = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 25;

using var stream = File.OpenRead(args[0]);
using var pe = new PEReader(stream);
var md = pe.GetMetadataReader();
var global = md.GetTypeDefinition(MetadataTokens.TypeDefinitionHandle(1));
var tables = new Dictionary<string, List<(int Token, string? Text, int[] Sizes)>>();
foreach (var handle in global.GetMethods())
{
    var method = md.GetMethodDefinition(handle);
    tables[md.GetString(method.Name)] = MstatIl.Records(md, pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader());
}

var byAssembly = new Dictionary<string, Totals>();
var byNamespace = new Dictionary<string, Totals>();
var byCharge = new Dictionary<string, Totals>();
void Charge(EntityHandle handle, long code, long data)
{
    var key = Owners.ChargedTo(md, handle);
    (byCharge.TryGetValue(key, out var c) ? c : byCharge[key] = new Totals()).Add(code, data);
}
void Add(string assembly, string ns, long code, long data)
{
    (byAssembly.TryGetValue(assembly, out var a) ? a : byAssembly[assembly] = new Totals()).Add(code, data);
    var key = $"{assembly}: {ns}";
    (byNamespace.TryGetValue(key, out var n) ? n : byNamespace[key] = new Totals()).Add(code, data);
}

long methodsTotal = 0, typesTotal = 0, blobsTotal = 0;
foreach (var (token, _, sizes) in tables.GetValueOrDefault("Methods") ?? [])
{
    var (assembly, ns) = Owners.OfMember(md, MetadataTokens.EntityHandle(token));
    // Version 2 records: code, GC info, EH info, then the node's id in the dependency graph.
    var size = sizes.Take(3).Sum(s => (long)s);
    methodsTotal += size;
    Add(assembly, ns, size, 0);
    Charge(MetadataTokens.EntityHandle(token), size, 0);
}
foreach (var (token, _, sizes) in tables.GetValueOrDefault("Types") ?? [])
{
    var (assembly, ns) = Owners.OfType(md, MetadataTokens.EntityHandle(token));
    var size = sizes.Length > 0 ? sizes[0] : 0;
    typesTotal += size;
    Add(assembly, ns, 0, size);
    Charge(MetadataTokens.EntityHandle(token), 0, size);
}
// Static data (RVA fields) and objects preinitialized into the executable, by their owner and type.
long frozenTotal = 0;
foreach (var (token, _, sizes) in (tables.GetValueOrDefault("RvaFields") ?? []).Concat(tables.GetValueOrDefault("FrozenObjects") ?? []))
{
    var (assembly, ns) = Owners.OfMember(md, MetadataTokens.EntityHandle(token));
    var size = sizes.Length > 0 ? sizes[0] : 0;
    frozenTotal += size;
    Add(assembly, ns, 0, size);
    Charge(MetadataTokens.EntityHandle(token), 0, size);
}
var blobs = new Dictionary<string, long>();
foreach (var (_, text, sizes) in tables.GetValueOrDefault("Blobs") ?? [])
{
    var size = sizes.Length > 0 ? sizes[0] : 0;
    blobsTotal += size;
    blobs[text ?? "?"] = blobs.GetValueOrDefault(text ?? "?") + size;
}

Console.WriteLine($"{args[0]}: methods {Kb(methodsTotal)}, types {Kb(typesTotal)}, static data and frozen objects {Kb(frozenTotal)}, blobs {Kb(blobsTotal)} (kB)");
Print("by assembly", byAssembly, top);
Print("by namespace", byNamespace, top);
Print("by what it is compiled for: a generic instance is charged to its last type argument outside System.* and Microsoft.* (List<ContainerInspectResponse> to Docker.DotNet)", byCharge, top);
Console.WriteLine($"\nblobs, largest {top} (kB)");
foreach (var (name, size) in blobs.OrderByDescending(b => b.Value).Take(top))
{
    Console.WriteLine($"{Kb(size),9}  {name}");
}
return 0;

static string Kb(long bytes) => (bytes / 1024.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);

static void Print(string title, Dictionary<string, Totals> rows, int top)
{
    Console.WriteLine($"\n{title}, largest {top} (kB): total = methods + data");
    foreach (var (name, t) in rows.OrderByDescending(r => r.Value.Code + r.Value.Data).Take(top))
    {
        Console.WriteLine($"{Kb(t.Code + t.Data),9} {Kb(t.Code),9} {Kb(t.Data),9}  {name}");
    }
}

sealed class Totals
{
    public long Code { get; private set; }
    public long Data { get; private set; }

    public void Add(long code, long data)
    {
        Code += code;
        Data += data;
    }
}

static class MstatIl
{
    // A record starts at an ldtoken or ldstr; the integer constants after it are its sizes.
    public static List<(int Token, string? Text, int[] Sizes)> Records(MetadataReader md, BlobReader il)
    {
        var records = new List<(int, string?, int[])>();
        int token = 0;
        string? text = null;
        var sizes = new List<int>();
        var open = false;
        void Close()
        {
            if (open)
            {
                records.Add((token, text, [.. sizes]));
            }
            sizes.Clear();
        }
        while (il.RemainingBytes > 0)
        {
            var op = il.ReadByte();
            switch (op)
            {
                case 0xD0: // ldtoken
                    Close();
                    (token, text, open) = (il.ReadInt32(), null, true);
                    break;
                case 0x72: // ldstr
                    Close();
                    (token, text, open) = (0, md.GetUserString(MetadataTokens.UserStringHandle(il.ReadInt32() & 0xFFFFFF)), true);
                    break;
                case 0x20: // ldc.i4
                    sizes.Add(il.ReadInt32());
                    break;
                case 0x1F: // ldc.i4.s
                    sizes.Add(il.ReadSByte());
                    break;
                case >= 0x15 and <= 0x1E: // ldc.i4.m1 .. ldc.i4.8
                    sizes.Add(op - 0x16);
                    break;
                case 0x26 or 0x2A or 0x00: // pop, ret, nop
                    break;
                default:
                    throw new InvalidDataException($"unexpected IL opcode 0x{op:X2} in the mstat file");
            }
        }
        Close();
        return records;
    }
}

static class Owners
{
    public static (string Assembly, string Namespace) OfMember(MetadataReader md, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.MemberReference => OfType(md, md.GetMemberReference((MemberReferenceHandle)handle).Parent),
        HandleKind.MethodSpecification => OfMember(md, md.GetMethodSpecification((MethodSpecificationHandle)handle).Method),
        HandleKind.MethodDefinition => ("(mstat)", ""),
        _ => OfType(md, handle),
    };

    public static (string Assembly, string Namespace) OfType(MetadataReader md, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeReference:
                var reference = md.GetTypeReference((TypeReferenceHandle)handle);
                var scope = reference.ResolutionScope;
                if (scope.Kind == HandleKind.TypeReference)
                {
                    // A nested type: the namespace and assembly of the outermost type.
                    return OfType(md, scope);
                }
                var assembly = scope.Kind == HandleKind.AssemblyReference
                    ? md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name)
                    : "(mstat)";
                return (assembly, md.GetString(reference.Namespace));
            case HandleKind.TypeSpecification:
                var blob = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
                return OfSignature(md, ref blob);
            case HandleKind.MemberReference or HandleKind.MethodSpecification:
                return OfMember(md, handle);
            default:
                return ("(other)", "");
        }
    }

    // Which package or project made the compiler generate this: the last named type outside the framework
    // among the generic definition and its arguments (recursively), else the generic definition's assembly.
    public static string ChargedTo(MetadataReader md, EntityHandle handle)
    {
        var named = Named(md, handle);
        var outside = named.LastOrDefault(n => !n.StartsWith("System.", StringComparison.Ordinal) && !n.StartsWith("Microsoft.", StringComparison.Ordinal) && n != "netstandard");
        return outside ?? named.FirstOrDefault() ?? "(other)";
    }

    private static List<string> Named(MetadataReader md, EntityHandle handle)
    {
        var provider = new AssemblyListProvider(md);
        switch (handle.Kind)
        {
            case HandleKind.TypeReference:
                return [OfType(md, handle).Assembly];
            case HandleKind.TypeSpecification:
                return md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(provider, null);
            case HandleKind.MemberReference:
                return Named(md, md.GetMemberReference((MemberReferenceHandle)handle).Parent);
            case HandleKind.MethodSpecification:
                var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                return [.. Named(md, spec.Method), .. spec.DecodeSignature(provider, null).SelectMany(a => a)];
            default:
                return [];
        }
    }

    private sealed class AssemblyListProvider(MetadataReader md) : ISignatureTypeProvider<List<string>, object?>
    {
        public List<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
        public List<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [];
        public List<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [OfType(md, handle).Assembly];
        public List<string> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => Named(md, handle);
        public List<string> GetGenericInstantiation(List<string> genericType, System.Collections.Immutable.ImmutableArray<List<string>> typeArguments) => [.. genericType, .. typeArguments.SelectMany(a => a)];
        public List<string> GetArrayType(List<string> elementType, ArrayShape shape) => elementType;
        public List<string> GetSZArrayType(List<string> elementType) => elementType;
        public List<string> GetPointerType(List<string> elementType) => elementType;
        public List<string> GetByReferenceType(List<string> elementType) => elementType;
        public List<string> GetPinnedType(List<string> elementType) => elementType;
        public List<string> GetModifiedType(List<string> modifier, List<string> unmodifiedType, bool isRequired) => unmodifiedType;
        public List<string> GetFunctionPointerType(MethodSignature<List<string>> signature) => [];
        public List<string> GetGenericMethodParameter(object? genericContext, int index) => [];
        public List<string> GetGenericTypeParameter(object? genericContext, int index) => [];
    }

    // The first named type in a type signature: a generic instantiation's definition, an array's element.
    private static (string, string) OfSignature(MetadataReader md, ref BlobReader blob)
    {
        while (blob.RemainingBytes > 0)
        {
            var code = (SignatureTypeCode)blob.ReadByte();
            switch (code)
            {
                case SignatureTypeCode.GenericTypeInstance or SignatureTypeCode.SZArray or SignatureTypeCode.Pointer
                    or SignatureTypeCode.ByReference or SignatureTypeCode.Pinned or SignatureTypeCode.Array:
                    continue;
                case (SignatureTypeCode)0x11 or (SignatureTypeCode)0x12: // valuetype, class
                    return OfType(md, blob.ReadTypeHandle());
                case >= SignatureTypeCode.Void and <= SignatureTypeCode.String or SignatureTypeCode.IntPtr
                    or SignatureTypeCode.UIntPtr or SignatureTypeCode.Object or SignatureTypeCode.TypedReference:
                    return ("System.Private.CoreLib", "System");
                default:
                    return ("(other)", code.ToString());
            }
        }
        return ("(other)", "");
    }
}
