"""The shape of the tree: which package may import which, and no import cycles."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cases", "flows", "outbound", "workers", "web", "sms_gateway", "console", "rongrian")
WEB = {"web", "sms_gateway", "console", "flask", "flask_babel", "flask_wtf", "rongrian"}
PROVIDER_CLIENTS = {"twilio", "android_sms_gateway", "requests"}
FORBIDDEN = {
    "cases": WEB | {"flows", "outbound", "workers", "rq"} | PROVIDER_CLIENTS,
    "flows": WEB | {"outbound", "workers", "rq"} | PROVIDER_CLIENTS,
    "outbound": WEB | {"flows", "workers", "rq"},
    "workers": WEB,
    "web": {"sms_gateway", "console", "rongrian"},
    "sms_gateway": {"console", "rongrian"},
    "console": {"flows", "outbound", "workers", "twilio", "rq", "android_sms_gateway", "sms_gateway", "rongrian"},
}
"""Package → top-level names it must not import (the domain knows no channel or queue; a
worker never imports the web app; the web packages share only ``web``, and nothing but the
entry points imports the composition root ``rongrian``)."""
CALLS_A_PROVIDER = ("twilio.rest", "twilio.http", "android_sms_gateway.APIClient", "android_sms_gateway.http", "requests")
"""Imports that call a provider's API (a webhook adapter may read the provider's types, but
only ``outbound/`` sends)."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Absolute names of the project modules (and top-level packages) ``path`` imports,
    at module level or inside functions alike."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module
            if node.module:  # ``from . import x`` imports x, not the package's own __init__ anew
                found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def project_modules() -> dict[str, Path]:
    return {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: {imported for imported in imports_of(path) if imported in modules} - {name} for name, path in modules.items()}


def test_packages_import_only_what_they_may():
    wrong = []
    for name, path in project_modules().items():
        banned = FORBIDDEN.get(name.split(".")[0], set())
        wrong += [f"{name} imports {imported}" for imported in imports_of(path) if imported.split(".")[0] in banned]
    assert wrong == []


def test_no_import_cycles():
    edges = graph()
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_the_graph_sees_imports():
    """The checks above look at real edges (a parser that saw nothing would pass them)."""
    edges = graph()
    assert "cases.store.work" in edges["cases.messages.outbox"]
    assert "workers.context" in edges["workers.jobs"]
    assert "outbound" in edges["workers.context"]
    assert "cases.casework.lifecycle" in edges["console.case_views"]


ROOMS = ("store", "province", "language", "messages", "casework", "reporting")
"""The rooms of cases/, lowest first: a room imports only from itself and the rooms below it
(storage ← the directory ← language ← messages ← casework ← reporting)."""


def room_of(name: str) -> int | None:
    parts = name.split(".")
    return ROOMS.index(parts[1]) if len(parts) > 2 and parts[0] == "cases" and parts[1] in ROOMS else None


def test_cases_is_rooms_and_each_room_looks_only_down():
    flat = sorted(path.name for path in (ROOT / "cases").glob("*.py") if path.name != "__init__.py")
    assert flat == [], "a module of cases/ belongs in one of its rooms"
    assert {path.name for path in (ROOT / "cases").iterdir() if (path / "__init__.py").exists()} == set(ROOMS)
    upward = []
    for name, imported in graph().items():
        here = room_of(name)
        if here is not None:
            upward += [f"{name} imports {other}" for other in imported if (room_of(other) or 0) > here]
    assert upward == []


def test_no_cycle_between_packages():
    """The packages themselves form layers: cases ← flows ← outbound ← workers ← web ←
    sms_gateway, console ← rongrian, with no package reaching back up."""
    edges: dict[str, set[str]] = {}
    for name, imported in graph().items():
        edges.setdefault(name.split(".")[0], set()).update(other.split(".")[0] for other in imported)
    order = []
    while edges:
        ready = sorted(name for name, needs in edges.items() if needs <= set(order) | {name})
        assert ready, f"a cycle between packages: {sorted(edges)}"
        order += ready
        for name in ready:
            del edges[name]
    assert order.index("cases") < order.index("flows") < order.index("workers") < order.index("web")
    assert max(order.index("sms_gateway"), order.index("console")) < order.index("rongrian")


def test_only_outbound_calls_a_provider():
    calling = [f"{name} imports {imported}" for name, path in project_modules().items()
               for imported in imports_of(path)
               if not name.startswith("outbound") and any(imported == c or imported.startswith(c + ".") for c in CALLS_A_PROVIDER)]
    assert calling == []
    assert any(imported.startswith("twilio.rest") for imported in imports_of(ROOT / "outbound" / "twilio_rest.py"))


def test_the_architecture_page_names_only_what_exists():
    """docs/architecture.md stays true: every file it names exists, and it names every room."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.py)`", page))
    assert len(named) > 20 and [path for path in sorted(named) if not (ROOT / path).exists()] == []
    assert all(f"`{room}/`" in page for room in ROOMS) and all(f"{package}/" in page for package in PACKAGES)
