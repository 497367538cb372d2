"""The Salesfloor server, in rooms: the live runtime, the wire, persistence, the API and its
security, exports, workers, the command line and the client (docs/architecture.md)."""
