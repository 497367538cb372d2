"""Several workers: a lease per competition, the front, routing and forwarding, ended sessions shared."""
