"""The package as installed: it loads the native library it carries."""
import os
from pathlib import Path

import enough


def test_loads_its_own_native_library():
    package = Path(enough.__file__).resolve().parent
    if "ENOUGH_LIBRARY" not in os.environ:
        assert Path(enough.library._name).resolve() == package / "libenough.so"
    assert (package / "py.typed").exists()
    assert enough.library_version() == enough.__version__


def test_is_not_imported_from_the_source_tree():
    # CTest runs this suite from a copy, against the wheel installed in a fresh venv.
    assert "site-packages" in enough.__file__
