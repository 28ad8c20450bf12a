"""Compares two archives of a package (zip, .crate, .tar.gz) member by member: the same
names (below each one's top folder) with the same bytes. Times and owners may differ.
IGNORE names members one side may lack for a known reason.

    compare_archives.py A B [IGNORE...]
"""
import hashlib
import sys
import tarfile
import zipfile


def members(path):
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return {n: hashlib.sha256(archive.read(n)).hexdigest() for n in archive.namelist()
                    if not n.endswith("/")}
    with tarfile.open(path) as archive:
        return {m.name.split("/", 1)[1] if "/" in m.name else m.name:
                hashlib.sha256(archive.extractfile(m).read()).hexdigest()
                for m in archive.getmembers() if m.isfile()}


def main(a, b, *ignored):
    left, right = members(a), members(b)
    for name in ignored:
        left.pop(name, None)
        right.pop(name, None)
    problems = [f"only in {a}: {n}" for n in sorted(left.keys() - right.keys())]
    problems += [f"only in {b}: {n}" for n in sorted(right.keys() - left.keys())]
    problems += [f"differs: {n}" for n in sorted(left.keys() & right.keys()) if left[n] != right[n]]
    for problem in problems:
        print(problem)
    print(f"{a.rsplit('/', 1)[-1]}: {len(left)} files, {'the same' if not problems else 'NOT the same'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
