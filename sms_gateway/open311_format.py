"""Open311 answers as JSON or XML (the same data; ``xml.etree``, UTF-8, Thai not escaped)."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from flask import Response

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
ITEMS = {
    "services": "service", "service_requests": "request", "errors": "error", "endpoints": "endpoint",
    "formats": "format", "attributes": "attribute",
}
"""A list's XML element → the element of each of its items."""
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (an SMS may carry them): left out of XML answers."""


def respond(data, root: str, fmt: str, status: int = 200) -> Response:
    """``data`` (a list of dicts, or a dict) as JSON, or as XML under ``<root>``."""
    if fmt == "xml":
        body = ET.tostring(element(root, data), encoding="utf-8", xml_declaration=True)
    else:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(body, status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["json"]))


def element(tag: str, value) -> ET.Element:
    """``value`` as the XML element ``tag``: a dict's items and a list's items as children
    (a None left out), booleans as ``true``/``false``."""
    node = ET.Element(tag)
    if isinstance(value, dict):
        node.extend(element(name, item) for name, item in value.items() if item is not None)
    elif isinstance(value, list):
        node.extend(element(ITEMS.get(tag, "item"), item) for item in value)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    else:
        node.text = NOT_IN_XML.sub("", str(value))
    return node
