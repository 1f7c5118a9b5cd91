"""MkDocs hook (``hooks:`` in ``mkdocs.yml``): render the docstrings' Sphinx roles as links.

The docstrings follow numpydoc, whose cross-references are Sphinx roles
(:func:`reviewgraph.report.html.render_report`, :class:`~reviewgraph.analysis.ReviewGraph`);
mkdocstrings leaves them as text.  This hook turns each into a link to the object's anchor
when the page has one (mkdocstrings gives every documented object an anchor named by its
dotted path; the whole API is on one page), else into code, so no raw role is left.
"""

from __future__ import annotations

import re
from typing import Any

ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|mod|attr|data|exc|obj|const|term|ref):"
    r"(?:<code>|`)(~?)([^<`]+)(?:</code>|`)"
)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Replace the roles on a page by links to its anchors, or by code.

    Examples
    --------
    >>> on_page_content('<h2 id="a.b">b</h2> see :func:<code>~a.b</code>, :class:<code>c.D</code>',
    ...                 None, None, None)
    '<h2 id="a.b">b</h2> see <a href="#a.b"><code>b</code></a>, <code>c.D</code>'
    """
    anchors = set(re.findall(r'id="([A-Za-z_][\w.]*)"', html))

    def link(match: re.Match[str]) -> str:
        short, target = match.group(1) == "~", match.group(2).strip()
        shown = target.rsplit(".", 1)[-1] if short else target
        if target not in anchors:
            return f"<code>{shown}</code>"
        return f'<a href="#{target}"><code>{shown}</code></a>'

    return ROLE.sub(link, html)
