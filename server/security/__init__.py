"""Who may ask: tokens, sessions, trusted browsers and addresses, and throttles on logins and commands."""
