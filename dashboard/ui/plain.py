"""Text from Personio or a user shown as plain text in Streamlit markdown.

Streamlit renders markdown (links, images, `:red[colours]`, `$KaTeX$`, emoji shortcodes, HTML entities) in
st.markdown, st.caption, st.info/warning/error/success and help texts. `md` escapes a string so that it
renders exactly its characters. Figures: `dashboard.figures.safe`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# every ASCII punctuation character is escapable in CommonMark; escaping all of them leaves no syntax
_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
ZWSP = "\u200b"
_AUTOLINK = re.compile(r"(?i):/|www\.|(?<=\S)@")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def md(value: object) -> str:
    """`value` as markdown that renders exactly its characters: no link, image, HTML, KaTeX, colour or emoji.

    Backslash-escapes every ASCII punctuation character and turns line breaks and control characters into
    spaces (a blank line would start a new block)."""
    text = _CONTROL.sub(" ", str(value)).replace("\r", " ").replace("\n", " ")
    # GFM turns bare URLs and e-mail addresses into links even when their punctuation is escaped:
    # an invisible zero-width space breaks "://", "www." and "@" apart
    text = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + ZWSP + m.group(0)[-1], text)
    return _MD_PUNCT.sub(r"\\\1", text)


def md_list(values: Iterable[object], sep: str = ", ") -> str:
    """Several values as escaped markdown, joined by `sep` (which is ours, not escaped)."""
    return sep.join(md(v) for v in values)
