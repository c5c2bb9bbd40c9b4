"""Extractors: one module per job, each reading a parsed article and adding one kind of record."""
