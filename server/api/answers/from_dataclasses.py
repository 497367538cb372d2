"""Answer models made from the domain's dataclasses, so a record's shape is written down once.

Ledger records, explanation items and events are frozen dataclasses whose fields are what the
JSON carries (``record_view``, ``event_to_dict``, ``dataclasses.asdict``); their models follow
the fields and type hints, with the few fields a view adds.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model


def model_of(
    record: type,
    name: str | None = None,
    *,
    tag: tuple[str, str] | None = None,
    tag_first: bool = True,
    added: dict[str, Any] | None = None,
    omitted: tuple[str, ...] = (),
) -> type[BaseModel]:
    """A model with ``record``'s dataclass fields (all present in the JSON), plus ``added``
    fields (``name: (type, default or ...)``) and, with ``tag=(field, value)``, a literal tag
    such as an event's ``kind`` (first or last, as the view writes it); an ``added`` field
    replaces the record's field of that name, an ``omitted`` one is left out."""
    hints = typing.get_type_hints(record)
    spec: dict[str, Any] = {
        f.name: (hints[f.name], ...) for f in dataclasses.fields(record) if f.name not in omitted
    }
    if tag is not None:
        field, value = tag
        tagged: dict[str, Any] = {field: (Literal[value], Field(description=f"always {value!r}"))}
        spec = {**tagged, **spec} if tag_first else {**spec, **tagged}
    spec.update(added or {})
    doc = (record.__doc__ or "").strip()
    if doc.startswith(f"{record.__name__}("):  # the signature dataclasses write for a class without one
        doc = ""
    return create_model(name or record.__name__, __doc__=doc or None, **spec)
