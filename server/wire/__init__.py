"""The wire: live messages on channels, their JSON shapes, the websocket protocol and its limits."""
