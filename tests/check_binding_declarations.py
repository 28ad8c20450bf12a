"""One declaration table: every binding's declarations of the flat C functions, and its
reason and error-code tables, against include/enough/enough.h and abi/enough/; and
Node's rule that the library never calls JavaScript (no callback type, no callback).

A binding that calls a flat function it has not declared (ctypes would guess int),
declares one the header does not have, declares a parameter or result of another
type, or has a reason or error table that lacks a value or gives another number,
fails this test. Go's cgo reads the header itself, so for Go only its tables and the
names it calls are checked.

Usage: check_binding_declarations.py <source dir>
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
problems = []


def fail(where, what):
    problems.append(f"{where}: {what}")


# ---- the contract ------------------------------------------------------------------

def c_type(text):
    """A C type (as the header or a koffi prototype spells it) in the shared vocabulary."""
    t = " ".join(text.replace("*", " * ").split())
    stars = t.count("*")
    base = t.replace("*", "").replace("const", "").split()
    base = base[0] if base else ""
    if stars >= 2:
        return "ptr*"
    if stars == 1:
        return "str" if base == "char" else "ptr"
    return {"void": "void", "bool": "bool", "int": "i32", "int32_t": "i32", "uint32_t": "u32",
            "int64_t": "i64", "uint64_t": "u64", "size_t": "usize",
            "enough_callback_fn": "callback"}.get(base, "?" + base)


def c_parameter(text):
    """A parameter's type: drop its name."""
    text = text.strip()
    if text in ("", "void"):
        return None
    name = re.search(r"[A-Za-z_]\w*$", text)
    if name and name.group(0) not in ("void", "bool", "int", "int32_t", "int64_t", "uint64_t",
                                      "size_t", "uint32_t", "enough_callback_fn"):
        text = text[: name.start()]
    return c_type(text)


def parse_prototype(text):
    match = re.match(r"\s*(.+?)\s*\b(enough_\w+)\s*\((.*)\)\s*;?\s*$", text, re.S)
    if not match:
        return None
    result, name, parameters = match.groups()
    types = [c_parameter(p) for p in parameters.split(",")] if parameters.strip() else []
    return name, (c_type(result), [t for t in types if t is not None])


header_text = (root / "include/enough/enough.h").read_text()
header = {}
for declaration in re.findall(r"^ENOUGH_API\s+([^;]+;)", header_text, re.M):
    parsed = parse_prototype(declaration)
    if parsed:
        header[parsed[0]] = parsed[1]


def defines(path, prefix):
    return {name: int(value) for name, value in
            re.findall(rf"#define {prefix}(\w+)\s+(-?\d+)", (root / path).read_text())}


reasons = defines("abi/enough/reason.h", "ENOUGH_REASON_")
errors = defines("abi/enough/error.h", "ENOUGH_ERROR_")
if len(header) < 30 or len(reasons) < 4 or len(errors) < 10:
    fail("include/enough/enough.h", f"the contract did not parse ({len(header)} functions)")


def same_name(a, b):
    return a.replace("_", "").lower() == b.replace("_", "").lower()


def check_declaration(where, name, signature):
    if name not in header:
        fail(where, f"declares {name}, which enough.h does not have")
    elif signature != header[name]:
        fail(where, f"declares {name} as {signature}, enough.h says {header[name]}")


def check_uses(where, used, declared):
    for name in sorted(used - set(declared)):
        fail(where, f"calls {name} without declaring it")


def check_table(where, table, contract, aliases=(), required=None):
    """table: {name: value} of a binding; contract: {NAME: value} of the header."""
    aliases = dict(aliases)
    for name, value in table.items():
        wanted = aliases.get(name, name)
        matches = [c for c in contract if same_name(c, wanted)]
        if not matches:
            fail(where, f"has {name} = {value}, which the header does not define")
        elif contract[matches[0]] != value:
            fail(where, f"has {name} = {value}, the header says {contract[matches[0]]}")
    for name in (required if required is not None else contract):
        if not any(same_name(aliases.get(n, n), name) for n in table):
            fail(where, f"lacks {name} = {contract[name]}")


core_reasons = ["NONE", "CANCELLED", "TIMED_OUT"]
first = {"FIRST_APPLICATION": "FIRST_USER", "FirstApplication": "FIRST_USER"}

# ---- Python ------------------------------------------------------------------------
python = root / "bindings/python/src/enough"
native = (python / "_native.py").read_text()
python_types = {"_p": "ptr", "_b": "bool", "_i32": "i32", "_u64": "u64", "_i64": "i64",
                "ctypes.c_int": "i32", "ctypes.c_size_t": "usize", "ctypes.c_char_p": "str",
                "None": "void", "CALLBACK": "callback", "ctypes.POINTER(_p)": "ptr*"}
python_declared = {}
for name, result, parameters in re.findall(r'"(enough_\w+)":\s*\(([^,]+),\s*\[([^\]]*)\]\)', native):
    types = [python_types.get(p.strip(), "?" + p.strip()) for p in parameters.split(",") if p.strip()]
    python_declared[name] = (python_types.get(result.strip(), "?" + result.strip()), types)
    check_declaration("python/_native.py", name, python_declared[name])
python_used = set()
for path in python.glob("*.py"):
    python_used |= set(re.findall(r"library\.(enough_\w+)", path.read_text()))
check_uses("python", python_used, python_declared)
reason_py = dict((n, int(v)) for n, v in re.findall(r"^\s+([A-Z_]+) = (\d+)$", (python / "_reason.py").read_text(), re.M))
check_table("python/_reason.py Reason", reason_py, reasons, first, core_reasons)
errors_py = (python / "_errors.py").read_text()
python_errors = {}
for cls, code in re.findall(r"class (\w+)Error\([^)]*\):(?:\s*\"\"\"[^\"]*\"\"\")?\s*code = (\d+)", errors_py):
    python_errors[re.sub(r"(?<!^)([A-Z])", r"_\1", cls).upper()] = int(code)
python_errors.setdefault("NONE", 0)  # the base class Error stands for "no code"
check_table("python/_errors.py", python_errors, errors, {"SYSTEM_RESOURCE": "SYSTEM"})

# ---- Node.js -----------------------------------------------------------------------
node = root / "bindings/node"
index_js = "\n".join(path.read_text() for path in sorted(node.glob("*.js")))  # index.js, watcher-thread.js
node_declared = {}
for prototype in re.findall(r"lib\.func\('([^']+)'\)", index_js):
    parsed = parse_prototype(prototype)
    if parsed:
        node_declared[parsed[0]] = parsed[1]
        check_declaration("node/index.js", *parsed)
# The library never calls JavaScript (so no JS exception can unwind through it): Node
# registers no callback, so it makes no koffi callback type and passes no function.
for callback_api in ("koffi.proto", "koffi.register", "koffi.callback"):
    if callback_api in index_js:
        fail("node/index.js", f"{callback_api}: the library must never call JavaScript")
for name, (_, parameters) in node_declared.items():
    if "callback" in parameters:
        fail("node/index.js", f"{name} takes a callback: the library must never call JavaScript")


def js_table(text, name):
    body = re.search(rf"{name}\s*=\s*Object\.freeze\(\{{(.*?)\}}\)", text, re.S)
    return {k: int(v) for k, v in re.findall(r"(\w+):\s*(\d+)", body.group(1))} if body else {}


def ts_table(text, name):
    body = re.search(rf"declare const {name}:\s*\{{(.*?)\}};", text, re.S)
    return {k: int(v) for k, v in re.findall(r"readonly (\w+):\s*(\d+)", body.group(1))} if body else {}


index_ts = (node / "index.d.ts").read_text()
check_table("node/index.js Reason", js_table(index_js, "Reason"), reasons, first, core_reasons)
check_table("node/index.js ErrorCode", js_table(index_js, "ErrorCode"), errors)
check_table("node/index.d.ts Reason", ts_table(index_ts, "Reason"), reasons, first, core_reasons)
check_table("node/index.d.ts ErrorCode", ts_table(index_ts, "ErrorCode"), errors)

# ---- Rust --------------------------------------------------------------------------
rust = root / "bindings/rust/src"
rust_types = {"*mut c_void": "ptr", "*const c_void": "ptr", "*const *mut c_void": "ptr*",
              "*mut *mut c_void": "ptr*", "*const u32": "ptr", "bool": "bool", "i32": "i32",
              "u32": "u32", "i64": "i64", "u64": "u64", "usize": "usize",
              "*const c_char": "str", "Option<Callback>": "callback", "Callback": "callback"}
ffi = (rust / "ffi.rs").read_text()
rust_declared = {}
for name, parameters, result in re.findall(r"pub fn (enough_\w+)\(([^)]*)\)\s*(?:->\s*([^;]+))?;", ffi):
    types = []
    for parameter in filter(None, (p.strip() for p in parameters.split(","))):
        kind = parameter.split(":", 1)[1].strip()
        types.append(rust_types.get(kind, "?" + kind))
    signature = (rust_types.get(result.strip(), "?" + result.strip()) if result else "void", types)
    rust_declared[name] = signature
    check_declaration("rust/src/ffi.rs", name, signature)
rust_used = set()
for path in rust.glob("*.rs"):
    rust_used |= set(re.findall(r"ffi::(enough_\w+)", path.read_text()))
check_uses("rust", rust_used, rust_declared)
rust_reasons = {n: int(v) for n, v in re.findall(r"pub const REASON_(\w+): i32 = (\d+);", ffi)}
lib_rs = (rust / "lib.rs").read_text()
for n, v in re.findall(r"pub const (\w+): Reason = Reason\((\w+)\);", lib_rs):
    rust_reasons[n] = int(v) if v.isdigit() else rust_reasons.get(v.replace("ffi::REASON_", ""), -1)
check_table("rust Reason", rust_reasons, reasons, first, core_reasons)

# ---- Go ----------------------------------------------------------------------------
go = root / "bindings/go"
go_text = "".join(p.read_text() for p in go.glob("*.go") if not p.name.endswith("_test.go"))
go_helpers = set(re.findall(r"static [^(]*\b(enough_go_\w+)\(", go_text))
for name in sorted(set(re.findall(r"C\.(enough_\w+)", go_text)) - go_helpers):
    if name not in header:
        fail("go", f"calls C.{name}, which enough.h does not have")
go_reasons = {n: int(v) for n, v in re.findall(r"^\s+(\w+)\s+Reason = (\d+)\s*(?://.*)?$", go_text, re.M)}
check_table("go Reason", go_reasons, reasons, first, core_reasons)

# ---- C# ----------------------------------------------------------------------------
dotnet = root / "bindings/dotnet/src"
cs = "".join(p.read_text() for p in dotnet.glob("*.cs"))
cs_types = {"IntPtr": "ptr", "SourceHandle": "ptr", "TokenHandle": "ptr",
            "RegistrationHandle": "ptr", "IntPtr[]": "ptr*", "bool": "bool", "int": "i32",
            "uint": "u32", "long": "i64", "ulong": "u64", "UIntPtr": "usize", "void": "void",
            "Callback": "callback", "string": "str"}
cs_declared = {}
for attributes, result, method, parameters in re.findall(
        r"\[DllImport\(([^)]*)\)\]\s*((?:\[return:[^\]]*\]\s*)?(?:internal|public|private) static extern \S+)\s+(\w+)\(([^)]*)\);",
        cs):
    if not attributes.split(",")[0].strip() == "Lib":
        continue  # another library's function (libc's _exit), not the contract's
    entry = re.search(r'EntryPoint\s*=\s*"(\w+)"', attributes)
    name = entry.group(1) if entry else method
    result_type = result.split()[-1]
    if result_type == "bool" and "MarshalAs(UnmanagedType.I1)" not in result:
        fail("dotnet", f"{name} returns bool without [return: MarshalAs(UnmanagedType.I1)] (a C bool is one byte)")
    types = []
    for parameter in filter(None, (p.strip() for p in parameters.split(","))):
        words = re.sub(r"\[[A-Za-z][^\]]*\]", "", parameter).split()
        kind = words[-2] if len(words) >= 2 else words[0]
        if kind == "bool" and "MarshalAs(UnmanagedType.I1)" not in parameter:
            fail("dotnet", f"{name} takes bool without [MarshalAs(UnmanagedType.I1)]")
        types.append(cs_types.get(kind, "?" + kind))
    cs_declared[name] = (cs_types.get(result_type, "?" + result_type), types)
    check_declaration("dotnet", name, cs_declared[name])
cs_reasons = {n: int(v) for n, v in re.findall(r"(\w+) = (\d+)", re.search(r"enum Reason\s*\{([^}]*)\}", cs).group(1))}
check_table("dotnet Reason", cs_reasons, reasons, first, core_reasons)

declared = {"python": python_declared, "node": node_declared, "rust": rust_declared, "dotnet": cs_declared}
for problem in problems:
    print(problem)
counts = ", ".join(f"{k} {len(v)}" for k, v in declared.items())
print(f"{len(problems)} problems; {len(header)} flat functions in enough.h; declared by {counts}")
sys.exit(1 if problems else 0)
