"""The province's directory: loading its CSV files, the in-memory catalog every message reads, and phone numbers."""
