"""Lazy public names: ``import roi_kit`` stays fast, each name's module loads when first used.

The package ``__init__`` lists its public names once, as ordinary imports inside an
``if TYPE_CHECKING:`` block — so type checkers and editors see them — and this module reads that
block from the source (the technique of scientific-python's ``lazy_loader`` stubs) to learn which
module holds which name. Nothing else keeps a second list.

>>> import roi_kit as rk
>>> "roi" in rk.__all__ and rk.roi.__module__
'roi_kit.roi'
"""

from __future__ import annotations

import ast
import importlib
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _public_imports(source: str) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """``({lazy name: (module, attribute)}, {eager names})`` read from an ``__init__`` source.

    Lazy names are those imported inside ``if TYPE_CHECKING:``; eager ones are the package's own
    top-level ``from roi_kit... import`` names (private ``_aliases`` left out).
    """
    lazy: dict[str, tuple[str, str]] = {}
    eager: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("roi_kit"):
            eager |= {a.asname or a.name for a in node.names}
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
                and node.test.id == "TYPE_CHECKING"):
            continue
        for statement in node.body:
            if not isinstance(statement, ast.ImportFrom) or statement.module is None:
                raise TypeError("only `from roi_kit.<module> import <name>` statements belong in "
                                f"the TYPE_CHECKING block (line {statement.lineno})")
            for alias in statement.names:
                lazy[alias.asname or alias.name] = (statement.module, alias.name)
    return lazy, {name for name in eager if not name.startswith("_")}


def attach(package: str, init_file: str, *, namespace: dict[str, Any]
           ) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package`` whose ``__init__`` is ``init_file``.

    ``namespace`` is the package's ``globals()``: a name, once imported, is stored there, so later
    lookups do not pass through ``__getattr__`` again.
    """
    lazy, eager = _public_imports(Path(init_file).read_text(encoding="utf-8"))
    public = sorted(set(lazy) | eager)

    def __getattr__(name: str) -> Any:
        if name not in lazy:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module_name, attribute = lazy[name]
        if module_name == package:  # a subpackage: `from roi_kit import datasets`
            value = importlib.import_module(f"{package}.{attribute}")
        else:
            value = getattr(importlib.import_module(module_name), attribute)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(lazy))

    shadowed = frozenset(name for name, (module, _) in lazy.items() if module != package)
    sys.modules[package].__class__ = type("LazyPackage", (_LazyPackage,), {"_shadowed": shadowed})
    return __getattr__, __dir__, public


class _LazyPackage(types.ModuleType):
    """A package whose public functions keep their names when a same-named submodule loads.

    Importing ``roi_kit.roi`` makes Python set the package attribute ``roi`` to that submodule;
    with eager imports the later ``from roi_kit.roi import roi`` put the function back. Loaded
    lazily, nothing would, so ``rk.roi(...)`` could find a module: this class refuses to let a
    submodule replace a public name (``sys.modules`` still holds the submodule).
    """

    _shadowed: frozenset[str] = frozenset()

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._shadowed and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)
