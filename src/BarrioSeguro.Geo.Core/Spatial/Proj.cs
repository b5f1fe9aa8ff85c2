using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using BarrioSeguro.Geo.Core.Notes;
using Microsoft.Win32.SafeHandles;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>
/// PROJ not found: the shared library (Debian package libproj25) or its database proj.db (package proj-data) is missing.
/// </summary>
public sealed class ProjUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What PROJ says of a CRS: its name and whether it is geographic (degrees) or projected.</summary>
public sealed record CrsInfo(int Epsg, string Name, bool IsGeographic, bool IsProjected);

/// <summary>
/// A thin binding to PROJ's C API (Debian's libproj.so.25, PROJ 9.1, with proj-data's proj.db): CRS objects by EPSG
/// code, transformations as proj_create_crs_to_crs chooses them (normalised to longitude/latitude order), WKT in and out.
/// A PJ_CONTEXT and the objects made in it are used by one thread at a time: callers rent a <see cref="Worker"/> from
/// a pool, each with its own context and its own cache of systems and transformations.
/// </summary>
internal static class Proj
{
    private static readonly ConcurrentBag<Worker> Idle = [];

    /// <summary>Runs <paramref name="work"/> with a worker no other thread holds meanwhile.</summary>
    public static T With<T>(Func<Worker, T> work)
    {
        if (!Idle.TryTake(out var worker)) worker = new Worker();
        try { return work(worker); }
        finally { Idle.Add(worker); }
    }

    /// <summary>The PROJ release, e.g. "9.1.1".</summary>
    public static string Version
    {
        get
        {
            Native.EnsureLoaded();
            var info = Native.proj_info();
            return $"{info.Major}.{info.Minor}.{info.Patch}";
        }
    }

    /// <summary>One PJ_CONTEXT with the systems and transformations made in it.</summary>
    internal sealed class Worker
    {
        private readonly ContextHandle context;
        private readonly Dictionary<int, PjHandle?> systems = [];
        private readonly Dictionary<(int, int), PjHandle> operations = [];

        public Worker()
        {
            Native.EnsureLoaded();
            context = Native.proj_context_create();
            if (context.IsInvalid) throw new ProjUnavailableException("PROJ could not create a context (proj_context_create).");
            Native.proj_log_level(context, 0); // PJ_LOG_NONE: refusals are ours to word, not PROJ's on stderr
        }

        /// <summary>The CRS PROJ knows by this EPSG code, or null.</summary>
        public PjHandle? Crs(int epsg)
        {
            if (systems.TryGetValue(epsg, out var known)) return known;
            var created = Own(Native.proj_create(context, $"EPSG:{epsg}"));
            if (created is not null && !IsCrs(Native.proj_get_type(created)))
            {
                created.Dispose();
                created = null;
            }
            systems[epsg] = created;
            return created;
        }

        public CrsInfo? Info(int epsg)
        {
            if (Crs(epsg) is not { } crs) return null;
            var type = Native.proj_get_type(crs);
            return new CrsInfo(epsg, Marshal.PtrToStringUTF8(Native.proj_get_name(crs)) ?? $"EPSG:{epsg}",
                type is PjType.Geographic2D or PjType.Geographic3D, type == PjType.Projected);
        }

        /// <summary>
        /// PROJ's transformation from one system to the other (proj_create_crs_to_crs_from_pj, PROJ's own choice among
        /// the candidate operations, per point by area of use), with longitude/easting first on both sides.
        /// </summary>
        public PjHandle Operation(int from, int to)
        {
            if (operations.TryGetValue((from, to), out var known)) return known;
            var source = Crs(from) ?? throw new UnknownCrsException($"EPSG:{from}");
            var target = Crs(to) ?? throw new UnknownCrsException($"EPSG:{to}");
            using var raw = Own(Native.proj_create_crs_to_crs_from_pj(context, source, target, IntPtr.Zero, IntPtr.Zero))
                            ?? throw NoTransformation(from, to);
            var normalised = Own(Native.proj_normalize_for_visualization(context, raw)) ?? throw NoTransformation(from, to);
            operations[(from, to)] = normalised;
            return normalised;
        }

        /// <summary>
        /// Moves <paramref name="count"/> points in place. Returns the index of the first point PROJ could not
        /// transform (its result is infinite), or -1 when all went through.
        /// </summary>
        public int Transform(int from, int to, double[] xs, double[] ys, int count)
        {
            if (count == 0) return -1;
            var op = Operation(from, to);
            Native.proj_errno_reset(op);
            Native.proj_trans_generic(op, 1, xs, sizeof(double), (nuint)count, ys, sizeof(double), (nuint)count,
                IntPtr.Zero, 0, 0, IntPtr.Zero, 0, 0);
            for (var i = 0; i < count; i++)
                if (!double.IsFinite(xs[i]) || !double.IsFinite(ys[i])) return i;
            return -1;
        }

        /// <summary>The system in a WKT dialect (one line), or null when PROJ cannot say it in that dialect.</summary>
        public string? Wkt(int epsg, WktType type)
        {
            if (Crs(epsg) is not { } crs) return null;
            var text = Marshal.PtrToStringUTF8(Native.proj_as_wkt(context, crs, (int)type, ["MULTILINE=NO", null]));
            return text;
        }

        /// <summary>
        /// The EPSG code of a WKT (OGC or ESRI dialect): proj_create on the text, then proj_identify against the EPSG
        /// database; the best match with at least <paramref name="minConfidence"/> % confidence (70: same definition,
        /// other name), or null.
        /// </summary>
        public int? Identify(string wkt, int minConfidence = 70)
        {
            using var crs = Own(Native.proj_create(context, wkt));
            if (crs is null || !IsCrs(Native.proj_get_type(crs))) return null;
            if (Code(crs) is { } direct) return direct;
            var list = Native.proj_identify(context, crs, "EPSG", IntPtr.Zero, out var confidence);
            try
            {
                var count = list == IntPtr.Zero ? 0 : Native.proj_list_get_count(list);
                for (var i = 0; i < count; i++)
                {
                    if (Marshal.ReadInt32(confidence, i * sizeof(int)) < minConfidence) continue;
                    using var candidate = Own(Native.proj_list_get(context, list, i));
                    if (candidate is not null && Code(candidate) is { } code) return code;
                }
                return null;
            }
            finally
            {
                if (list != IntPtr.Zero) Native.proj_list_destroy(list);
                if (confidence != IntPtr.Zero) Native.proj_int_list_destroy(confidence);
            }
        }

        private static int? Code(PjHandle crs)
        {
            var authority = Marshal.PtrToStringUTF8(Native.proj_get_id_auth_name(crs, 0));
            var code = Marshal.PtrToStringUTF8(Native.proj_get_id_code(crs, 0));
            return authority == "EPSG" && int.TryParse(code, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        }

        private static bool IsCrs(PjType type) =>
            type is PjType.Geographic2D or PjType.Geographic3D or PjType.Projected or PjType.Compound or PjType.Bound
                or PjType.Geocentric or PjType.Vertical or PjType.Engineering or PjType.Other or PjType.Temporal;

        private PjHandle? Own(IntPtr pj) => pj == IntPtr.Zero ? null : new PjHandle(pj, context);

        // PROJ knows both systems but has no way between them (e.g. a zoned grid system it cannot compute).
        private UnknownCrsException NoTransformation(int from, int to)
        {
            var errno = Native.proj_context_errno(context);
            var reason = Marshal.PtrToStringUTF8(Native.proj_context_errno_string(context, errno)) ?? $"error {errno}";
            return new UnknownCrsException($"EPSG:{from} -> EPSG:{to}",
                Note.Of("crs.no_transformation", ("from", $"EPSG:{from}"), ("to", $"EPSG:{to}"), ("reason", reason)));
        }
    }

    internal enum WktType { Wkt2_2019 = 2, Wkt1Gdal = 4, Wkt1Esri = 5 }

    internal enum PjType
    {
        Unknown = 0, Crs = 8, Geodetic = 9, Geocentric = 10, Geographic = 11, Geographic2D = 12, Geographic3D = 13,
        Vertical = 14, Projected = 15, Compound = 16, Temporal = 17, Engineering = 18, Bound = 19, Other = 20,
    }

    /// <summary>A PJ_CONTEXT, destroyed when the last object made in it is gone.</summary>
    internal sealed class ContextHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
    {
        protected override bool ReleaseHandle()
        {
            Native.proj_context_destroy(handle);
            return true;
        }
    }

    /// <summary>A PJ object; it keeps its context alive until it is destroyed itself.</summary>
    internal sealed class PjHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        private readonly ContextHandle context;

        public PjHandle(IntPtr pj, ContextHandle context) : base(true)
        {
            var added = false;
            context.DangerousAddRef(ref added);
            this.context = context;
            SetHandle(pj);
        }

        protected override bool ReleaseHandle()
        {
            Native.proj_destroy(handle);
            context.DangerousRelease();
            return true;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct PjInfo
    {
        public int Major, Minor, Patch;
        public IntPtr Release, Version, SearchPath, Paths;
        public nuint PathCount;
    }

    /// <summary>The C functions, found through <see cref="NativeLibrary.SetDllImportResolver"/>: libproj.so.25, then libproj.so.</summary>
    internal static class Native
    {
        private const string Library = "proj";
        private static readonly string[] Candidates = ["libproj.so.25", "libproj.so"];
        private static readonly Lazy<IntPtr> Handle = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

        static Native() =>
            NativeLibrary.SetDllImportResolver(typeof(Native).Assembly,
                (name, _, _) => name == Library ? Handle.Value : IntPtr.Zero);

        /// <summary>Loads libproj or throws a <see cref="ProjUnavailableException"/> naming the Debian packages.</summary>
        public static void EnsureLoaded() => _ = Handle.Value;

        private static IntPtr Load()
        {
            foreach (var name in Candidates)
                if (NativeLibrary.TryLoad(name, typeof(Native).Assembly, DllImportSearchPath.SafeDirectories, out var handle))
                    return handle;
            throw new ProjUnavailableException(
                $"PROJ is not installed: none of {string.Join(", ", Candidates)} could be loaded. " +
                "Install the Debian packages libproj25 and proj-data (apt-get install libproj25 proj-data).");
        }

        [DllImport(Library)] public static extern PjInfo proj_info();
        [DllImport(Library)] public static extern ContextHandle proj_context_create();
        [DllImport(Library)] public static extern void proj_context_destroy(IntPtr ctx);
        [DllImport(Library)] public static extern void proj_log_level(ContextHandle ctx, int level);
        [DllImport(Library)] public static extern int proj_context_errno(ContextHandle ctx);
        [DllImport(Library)] public static extern IntPtr proj_context_errno_string(ContextHandle ctx, int err);
        [DllImport(Library)] public static extern int proj_errno_reset(PjHandle pj);

        [DllImport(Library)] public static extern IntPtr proj_create(ContextHandle ctx, [MarshalAs(UnmanagedType.LPUTF8Str)] string definition);
        [DllImport(Library)] public static extern IntPtr proj_create_crs_to_crs_from_pj(ContextHandle ctx, PjHandle source, PjHandle target, IntPtr area, IntPtr options);
        [DllImport(Library)] public static extern IntPtr proj_normalize_for_visualization(ContextHandle ctx, PjHandle obj);
        [DllImport(Library)] public static extern IntPtr proj_destroy(IntPtr pj);
        [DllImport(Library)] public static extern PjType proj_get_type(PjHandle obj);
        [DllImport(Library)] public static extern IntPtr proj_get_name(PjHandle obj);
        [DllImport(Library)] public static extern IntPtr proj_get_id_auth_name(PjHandle obj, int index);
        [DllImport(Library)] public static extern IntPtr proj_get_id_code(PjHandle obj, int index);

        [DllImport(Library)]
        public static extern IntPtr proj_as_wkt(ContextHandle ctx, PjHandle obj, int type,
            [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] options);

        [DllImport(Library)]
        public static extern IntPtr proj_identify(ContextHandle ctx, PjHandle obj, [MarshalAs(UnmanagedType.LPUTF8Str)] string authority,
            IntPtr options, out IntPtr confidence);

        [DllImport(Library)] public static extern int proj_list_get_count(IntPtr list);
        [DllImport(Library)] public static extern IntPtr proj_list_get(ContextHandle ctx, IntPtr list, int index);
        [DllImport(Library)] public static extern void proj_list_destroy(IntPtr list);
        [DllImport(Library)] public static extern void proj_int_list_destroy(IntPtr list);

        [DllImport(Library)]
        public static extern nuint proj_trans_generic(PjHandle op, int direction,
            [In, Out] double[] x, nuint sx, nuint nx, [In, Out] double[] y, nuint sy, nuint ny,
            IntPtr z, nuint sz, nuint nz, IntPtr t, nuint st, nuint nt);
    }
}
