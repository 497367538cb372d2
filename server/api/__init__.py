"""The HTTP API: one router per resource (``server/api/<resource>.py``), the request
dependencies and bodies, the answers' models, and the HTTP machinery in ``http/``."""
