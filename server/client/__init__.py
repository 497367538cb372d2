"""The API client and the remote bot: Salesfloor from the outside, over HTTP and websockets."""
