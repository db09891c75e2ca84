"""Reporting service: read models of everything that happened on the axis, counters and indicators."""
