"""The documentation's pages around the generated references: the guides (docs/*.md and
each package's README, rendered from Markdown, their links between one another kept) and
the index page, which links each language's reference and every guide. scripts/docs
runs it (in its venv, which has python-markdown) after the references are in OUT.

    python site.py SOURCE_TREE OUT
"""
import html
import pathlib
import re
import shutil
import sys

import markdown

# (reference folder in OUT, language, what it is) — scripts/docs makes each.
REFERENCES = [
    ("c-cpp/index.html", "C and C++", "Doxygen: the flat C API, the ABI's interfaces, the C++20 projection"),
    ("rust/enough_cancel/index.html", "Rust", "rustdoc (cargo doc) of the enough-cancel crate"),
    ("python/index.html", "Python", "pdoc of the enough package, with enough.anyio and enough.grpc"),
    ("csharp/index.html", "C#", "the XML documentation shipped in the nupkg (Enough.xml), as a page"),
    ("go/index.html", "Go", "go doc -all of the module's two packages"),
    ("typescript/index.html", "TypeScript", "TypeDoc of index.d.ts (what an editor shows)"),
]


def guides(root):
    """Each guide's source and its page, relative to OUT."""
    pages = {root / "docs" / f"{p.stem}.md": f"guides/{p.stem}.html"
             for p in sorted((root / "docs").glob("*.md"))}
    for readme in sorted((root / "bindings").glob("*/README.md")):
        pages[readme] = f"guides/package-{readme.parent.name}.html"
    return pages


def render(source, page, pages, root, out):
    text = source.read_text(encoding="utf-8")
    body = markdown.markdown(text, extensions=["fenced_code", "tables", "toc"])

    def relink(match):
        href = html.unescape(match.group(1))
        if re.match(r"^[a-z]+:|^#", href):
            return match.group(0)
        path, _, fragment = href.partition("#")
        target = (source.parent / path).resolve()
        if target in pages:
            new = pathlib.PurePosixPath(pages[target]).relative_to(pathlib.PurePosixPath(page).parent)
            return f'href="{new}{"#" + fragment if fragment else ""}"'
        return match.group(0)  # left as it is: the link check reports it

    body = re.sub(r'href="([^"]*)"', relink, body)
    title = re.sub(r"[`*]", "", text.splitlines()[0].lstrip("# "))
    (out / page).write_text(f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(title)}"
                            f"</title><p><a href=\"../index.html\">enough: documentation</a></p>{body}</html>\n",
                            encoding="utf-8")
    return title


def main(root, out):
    root, out = pathlib.Path(root).resolve(), pathlib.Path(out)
    (out / "guides").mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "docs" / "performance.svg", out / "guides" / "performance.svg")
    pages = guides(root)
    titles = {page: render(source, page, pages, root, out) for source, page in pages.items()}
    references = "".join(f'<li><a href="{href}">{lang}</a>: {html.escape(what)}</li>'
                         for href, lang, what in REFERENCES)
    listed = "".join(f'<li><a href="{page}">{html.escape(titles[page])}</a></li>'
                     for page in sorted(titles, key=lambda p: (p.startswith("guides/package-"), p)))
    (out / "index.html").write_text(
        "<!doctype html><html lang=en><meta charset=utf-8><title>enough: documentation</title>"
        "<h1>enough: documentation</h1><p>Cooperative cancellation across threads, modules, "
        "languages, processes and machines.</p>"
        f"<h2>Reference, by language</h2><ul>{references}</ul>"
        f"<h2>Guides</h2><ul>{listed}</ul></html>\n", encoding="utf-8")
    print(f"index.html: {len(REFERENCES)} references, {len(titles)} guides")


if __name__ == "__main__":
    main(*sys.argv[1:])
