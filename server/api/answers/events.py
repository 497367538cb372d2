"""The events of the log as the API and the channels send them: ``kind`` first, then the fields
of that kind (``market.events.event_to_dict``) — one model per kind, told apart by ``kind``."""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field

from market.events import EVENT_TYPES
from server.api.answers.from_dataclasses import model_of

EVENT_MODELS = tuple(model_of(cls, tag=("kind", kind)) for kind, cls in sorted(EVENT_TYPES.items()))
"""One model per event kind, in the order of the kinds' names."""

Event: Any = Annotated[Union[EVENT_MODELS], Field(discriminator="kind")]  # noqa: UP007 (a tuple of models)
"""Any event of the log: its ``kind`` says which fields it has."""
