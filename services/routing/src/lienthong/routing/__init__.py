"""Routing service: one delivery per document and recipient, inboxes, status feedback."""
