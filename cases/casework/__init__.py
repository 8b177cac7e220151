"""A case's life: filing, routing, accepting, forwarding, closing, ratings, duplicates, the daily limit of
reports, and the SLA ladder of reminders and escalations (``reminders``)."""
