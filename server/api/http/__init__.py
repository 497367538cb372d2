"""The HTTP machinery around the routes: request limits, middleware, pages, the OpenAPI document."""
