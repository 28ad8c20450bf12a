"""The C# reference as a page: Enough.xml (the compiler's XML documentation, shipped in
the nupkg for IntelliSense) rendered as HTML, one section per type. scripts/docs runs it.

    python csharp_reference.py Enough.xml OUT.html
"""
import html
import re
import sys
import xml.etree.ElementTree as ElementTree

KINDS = {"T": "type", "M": "method", "P": "property", "F": "field", "E": "event"}


def text_of(element):
    """A doc element's text, with <see cref>, <paramref> and <c> as code."""
    if element is None:
        return ""
    parts = [html.escape(element.text or "")]
    for child in element:
        name = child.get("cref", child.get("name", ""))
        name = re.sub(r"^[A-Z]:", "", name)
        inner = html.escape(child.text or "") if child.tag == "c" else ""
        parts.append(f"<code>{html.escape(name) or inner}</code>")
        parts.append(html.escape(child.tail or ""))
    return " ".join("".join(parts).split())


def main(xml_path, out_path):
    members = ElementTree.parse(xml_path).getroot().find("members")
    by_type = {}
    for member in members:
        kind, _, name = member.get("name").partition(":")
        owner = name if kind == "T" else re.sub(r"\.[^.(]+(\(.*\))?$", "", name)
        by_type.setdefault(owner, []).append((kind, name, member))
    sections = []
    for owner in sorted(by_type):
        rows = []
        for kind, name, member in sorted(by_type[owner], key=lambda m: (m[0] != "T", m[1])):
            summary = text_of(member.find("summary"))
            short = name if kind == "T" else name[len(owner) + 1:]
            rows.append(f'<dt id="{html.escape(name)}"><code>{html.escape(short)}</code> '
                        f'<small>{KINDS.get(kind, kind)}</small></dt><dd>{summary}</dd>')
        sections.append(f'<section id="{html.escape(owner)}"><h2>{html.escape(owner)}</h2>'
                        f'<dl>{"".join(rows)}</dl></section>')
    index = "".join(f'<li><a href="#{html.escape(o)}">{html.escape(o)}</a></li>' for o in sorted(by_type))
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("<!doctype html><html lang=en><meta charset=utf-8><title>enough: C# reference</title>"
                  "<h1>Enough (C#): reference</h1><p>From <code>Enough.xml</code>, the XML "
                  "documentation beside <code>Enough.dll</code> in the nupkg.</p>"
                  f"<ul>{index}</ul>{''.join(sections)}</html>\n")
    print(f"{sum(len(v) for v in by_type.values())} members of {len(by_type)} types")


if __name__ == "__main__":
    main(*sys.argv[1:])
