"""Reading a page as a person does: the text of one element, without markup or attributes.

Checking `"Ek" not in page` on raw HTML fails whenever a CSRF token happens to contain "Ek";
check the words of the element that could show the name instead.
"""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Text(HTMLParser):
    def __init__(self, element_id: str | None, css_class: str | None):
        super().__init__(convert_charrefs=True)
        self.element_id, self.css_class = element_id, css_class
        self.depth = 0  # > 0 while inside the element asked for
        self.skip = 0  # > 0 while inside <script> or <style>
        self.parts: list[str] = []
        self.found = False

    def _matches(self, attrs) -> bool:
        values = dict(attrs)
        if self.element_id is not None:
            return values.get("id") == self.element_id
        if self.css_class is not None:
            return self.css_class in (values.get("class") or "").split()
        return True

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
        elif self._matches(attrs):
            self.depth, self.found = 1, True
        if tag in {"script", "style"}:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag in {"script", "style"} and self.skip:
            self.skip -= 1
        if self.depth:
            self.depth -= 1
            if not self.depth:
                self.parts.append("\n")

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def visible_text(html: str, *, element_id: str | None = None, css_class: str | None = None) -> str:
    """The text of every element with that id or class (of the whole document with neither),
    whitespace collapsed. Fails when no such element exists, so a renamed class is noticed."""
    parser = _Text(element_id, css_class)
    parser.feed(html)
    parser.close()
    assert parser.found, f"no element with id={element_id!r} class={css_class!r}"
    return " ".join("".join(parser.parts).split())
