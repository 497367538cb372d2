"""What the server takes in from outside: text rules, bounded JSON, the sizes of a competition."""
