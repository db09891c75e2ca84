"""Pytest fixtures that start real components on 127.0.0.1 (or use the ones CI started)."""
