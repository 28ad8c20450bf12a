"""The structure of src/ that its READMEs promise, checked on every build.

- Includes point down the layers: flat -> objects, runtime; objects -> runtime,
  platform; runtime -> platform; platform -> nothing of ours (a backend folder may use
  the neutral headers and, for Linux, the POSIX backend it builds on).
- Inside a folder, concepts (a .hpp with its .cpp) include one another without a cycle.
- Only src/platform/<backend>/ includes an operating system's headers, and only
  src/runtime/compiler.hpp spells a compiler attribute.
"""
import collections
import pathlib
import re
import sys

src = pathlib.Path(sys.argv[1])
may_include = {
    "flat": {"flat", "objects", "runtime"},
    "objects": {"objects", "runtime", "platform"},
    "runtime": {"runtime", "platform"},
    "platform": {"platform"},
}
os_headers = re.compile(r"#include <(unistd|fcntl|poll|pthread|signal|windows|synchapi|sys/[a-z_]+|linux/[a-z_]+)\.h>")
attribute = re.compile(r"__attribute__|\[\[gnu::|__declspec")
problems = []
graph = collections.defaultdict(set)

for path in sorted(src.rglob("*.[ch]pp")):
    relative = path.relative_to(src)
    layer = relative.parts[0]
    if layer not in may_include:
        continue  # grpc/: a separate library on the public headers
    text = path.read_text()
    unit = relative.with_suffix("").as_posix()
    for included in re.findall(r'#include "([^"]+)"', text):
        target_layer = included.split("/")[0]
        if target_layer not in may_include[layer]:
            problems.append(f"{relative}: includes {included} ({layer}/ may include {sorted(may_include[layer])})")
        target = pathlib.PurePosixPath(included).with_suffix("").as_posix()
        if target != unit and target_layer == layer:
            graph[unit].add(target)
    in_backend = layer == "platform" and len(relative.parts) > 2
    if not in_backend and os_headers.search(text):
        problems.append(f"{relative}: includes an operating system header outside src/platform/<backend>/")
    if relative.as_posix() != "runtime/compiler.hpp" and attribute.search(text):
        problems.append(f"{relative}: spells a compiler attribute outside runtime/compiler.hpp")

# Cycles among concepts (Tarjan's strongly connected components).
index, low, stack, on_stack, counter = {}, {}, [], set(), [0]
def visit(node):
    index[node] = low[node] = counter[0]
    counter[0] += 1
    stack.append(node)
    on_stack.add(node)
    for other in graph[node]:
        if other not in index:
            visit(other)
            low[node] = min(low[node], low[other])
        elif other in on_stack:
            low[node] = min(low[node], index[other])
    if low[node] == index[node]:
        component = []
        while True:
            other = stack.pop()
            on_stack.discard(other)
            component.append(other)
            if other == node:
                break
        if len(component) > 1:
            problems.append("concepts include one another in a cycle: " + ", ".join(sorted(component)))
for node in list(graph):
    if node not in index:
        visit(node)

for problem in problems:
    print(problem)
print(f"{len(problems)} problems in {src}")
sys.exit(1 if problems else 0)
