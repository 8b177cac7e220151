"""Background jobs on rq: each job takes ids and calls a domain function."""
