"""Opens the documentation's index page in headless Chromium (Debian's) and checks that
every link resolves: the index's, and those of each page of ours it links to (the
guides, rendered from Markdown). A link to a file must name one that exists (a folder:
its index.html), and a #fragment an id or name on that page. Links to other sites are
listed, not followed (this machine has no network beyond its package registries).

    python check_links.py DIST_DOCS/index.html
"""
import html.parser
import pathlib
import subprocess
import sys
import tempfile
import urllib.parse

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def parsed(text):
    links = Links()
    links.feed(text)
    return links


def rendered(page, profile):
    """The page's DOM as Chromium has it once loaded (scripts run)."""
    result = subprocess.run(["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                             "--dump-dom", page.as_uri()],
                            capture_output=True, text=True, timeout=120, check=True)
    if "<body" not in result.stdout:
        raise SystemExit(f"Chromium rendered nothing for {page}")
    return result.stdout


def main(index):
    index = pathlib.Path(index).resolve()
    root = index.parent
    problems, external, checked = [], set(), 0
    with tempfile.TemporaryDirectory() as profile:
        queue, seen = [index], {index}
        while queue:
            page = queue.pop(0)
            for href in parsed(rendered(page, profile)).hrefs:
                url = urllib.parse.urlsplit(href)
                if url.scheme in ("http", "https", "mailto"):
                    external.add(href)
                    continue
                checked += 1
                target = (page.parent / urllib.parse.unquote(url.path)).resolve() if url.path else page
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    problems.append(f"{page.relative_to(root)}: {href}: no such file")
                    continue
                if url.fragment and target.suffix == ".html":
                    if url.fragment not in parsed(target.read_text(errors="replace")).ids:
                        problems.append(f"{page.relative_to(root)}: {href}: no #{url.fragment} there")
                # Our own pages (the index and the guides) are checked in turn.
                if target.suffix == ".html" and target.parent in (root, root / "guides") and target not in seen:
                    seen.add(target)
                    queue.append(target)
    for problem in problems:
        print(problem)
    print(f"{len(seen)} pages opened in Chromium, {checked} links checked, {len(problems)} broken; "
          f"{len(external)} links to other sites, not followed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
