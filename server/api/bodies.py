"""Request bodies are strict: a JSON value must have the type the schema gives its field.

Pydantic's default (lax) mode turns ``false`` into ``0`` for an integer, ``"3"`` into ``3`` and
``1`` into ``true``, so a body the OpenAPI document calls invalid — ``{"seed": false}`` — was
taken. Strict models refuse it with a 422 naming the field; an integer is still taken where a
number is asked (JSON does not tell 1 from 1.0). ``NaN`` and ``Infinity`` are refused too.
A field the body does not have (``"sead": 5``, a typo) is refused as well, not ignored: the
schema says so (``additionalProperties: false``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictBody(BaseModel):
    """The base of every request body (the desk commands' generated bodies say the same)."""

    model_config = ConfigDict(strict=True, allow_inf_nan=False, extra="forbid")
