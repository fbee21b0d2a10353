"""Message transport: the database outbox (default) and, later, SQS."""
