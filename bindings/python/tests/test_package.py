"""The package as installed: it loads the native library it carries."""
import os
from pathlib import Path

import enough
from conftest import WINDOWS

LIBRARY_FILE = "enough.dll" if WINDOWS else "libenough.so"


def test_loads_its_own_native_library():
    package = Path(enough.__file__).resolve().parent
    if "ENOUGH_LIBRARY" not in os.environ:
        assert Path(enough.library._name).resolve() == package / LIBRARY_FILE
    assert (package / "py.typed").exists()
    assert enough.library_version() == enough.__version__


def test_is_not_imported_from_the_source_tree():
    # CTest runs this suite from a copy, against the wheel installed in a fresh venv
    # (or, for another platform's CPython, into the folder pip --target filled).
    assert "site-packages" in enough.__file__ or "site" in Path(enough.__file__).parts


def test_enough_library_names_another_copy(tmp_path):
    import shutil
    import subprocess
    import sys

    copy = tmp_path / f"other-{LIBRARY_FILE}"
    shutil.copy(Path(enough.__file__).resolve().parent / LIBRARY_FILE, copy)
    shown = subprocess.run(
        [sys.executable, "-c", "import enough; print(enough.library._name, enough.live_objects())"],
        env={**os.environ, "ENOUGH_LIBRARY": str(copy)}, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == [str(copy), "0"]
