"""Readers that turn files, pages, feeds and archives into `Article` records."""
