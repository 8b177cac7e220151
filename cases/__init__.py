"""The domain of Rongrian: the directory, cases and their rules, independent of any channel."""
