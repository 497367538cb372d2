"""What each route answers: the pydantic models of the success bodies, one module per resource.

A route declares its answer with :func:`documented` (``responses=documented(TeamState)``): the
OpenAPI document then describes the body, while the route keeps serialising the dict it builds
— the models document and the tests check (tests/server/test_answers.py), so the hot paths
(the team's state, the desk commands) pay no validation per request.
"""

from __future__ import annotations

from typing import Any

SUCCESS = "The answer (see its schema)."


def documented(model: Any, status: int = 200, description: str = SUCCESS) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route whose ``status`` answer has the shape of ``model`` (a model or
    a ``list[...]`` of one); ``server/openapi.py`` makes it the operation's only success schema."""
    return {status: {"model": model, "description": description}}
