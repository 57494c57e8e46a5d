"""Messages: rendering from templates, the outbox, and delivery through Apprise."""
