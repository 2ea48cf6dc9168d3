"""Career-site XML feed (`/xml?language=en`) parsed safely into plain position dicts."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from dashboard.personio.errors import MalformedResponseError, clean

# feed element → dict key
FIELDS = {
    "id": "id",
    "name": "name",
    "office": "office",
    "department": "department",
    "recruitingCategory": "recruiting_category",
    "employmentType": "employment_type",
    "seniority": "seniority",
    "schedule": "schedule",
    "createdAt": "created_at",
    "subcompany": "subcompany",
}


def _local(tag: Any) -> str:
    """Tag name without an XML namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _value(elem: Element | None) -> str | None:
    """Stripped text of an element; None when missing or blank."""
    if elem is None:
        return None
    text = "".join(elem.itertext()).strip()
    return text or None


def _position(pos: Element) -> dict[str, Any]:
    children: dict[str, Element] = {}
    for child in pos:
        children.setdefault(_local(child.tag), child)
    out: dict[str, Any] = {key: _value(children.get(tag)) for tag, key in FIELDS.items()}
    extra = children.get("additionalOffices")
    offices = [v for v in (_value(o) for o in extra if _local(o.tag) == "office") if v] if extra is not None else []
    out["additional_offices"] = offices
    return out


def parse_career_feed(xml_text: str | bytes) -> list[dict[str, Any]]:
    """Positions of a `<workzag-jobs>` feed as dicts (missing elements → None); malformed → MalformedResponseError."""
    if isinstance(xml_text, str):
        xml_text = xml_text.strip()
    if not xml_text:
        raise MalformedResponseError(None, "Career-site feed", "the XML feed is empty")
    try:
        root = fromstring(xml_text)
    except DefusedXmlException as exc:
        raise MalformedResponseError(None, "Career-site feed", f"forbidden XML construct ({type(exc).__name__})") from None
    except (ParseError, ValueError) as exc:
        raise MalformedResponseError(None, "Career-site feed", f"not well-formed XML ({clean(exc, limit=120)})") from None
    return [_position(el) for el in root.iter() if _local(el.tag) == "position"]
