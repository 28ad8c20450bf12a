"""Fails unless every public name of the installed Python package has a docstring: the
modules, their public functions and classes, and each class's own public methods and
properties (what pdoc shows). Run by scripts/docs in the venv it documents.

    python check_python_docs.py enough enough.anyio enough.grpc
"""
import importlib
import inspect
import sys


def public(module):
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items()
                 if not n.startswith("_") and getattr(v, "__module__", None) == module.__name__]
    return names


def main(module_names):
    missing, checked = [], 0

    def check(where, obj):
        nonlocal checked
        checked += 1
        if not (inspect.getdoc(obj) or "").strip():
            missing.append(where)

    for module_name in module_names:
        module = importlib.import_module(module_name)
        check(module_name, module)
        for name in public(module):
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue  # constants and re-exported modules: documented where they live
            check(f"{module_name}.{name}", obj)
            if inspect.isclass(obj):
                for member, value in vars(obj).items():
                    if member.startswith("_") and member not in ("__init__", "__call__"):
                        continue
                    if member == "__init__" and inspect.getdoc(obj):
                        continue  # the class's docstring tells how to make one
                    if isinstance(value, (staticmethod, classmethod)):
                        value = value.__func__
                    if inspect.isfunction(value) or isinstance(value, property):
                        check(f"{module_name}.{name}.{member}", value)
    for where in missing:
        print(f"{where}: no docstring")
    print(f"{checked} public names, {len(missing)} without a docstring")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
