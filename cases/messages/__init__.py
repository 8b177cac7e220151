"""Messages to send: the outbox that every SMS is queued in, messages sent once only, and a second try of an undelivered status SMS."""
