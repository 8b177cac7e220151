"""Storage: the peewee models and database, reference numbers (a case's key for the public), statements built
once, and the unit of work (a transaction, then the jobs it caused)."""
