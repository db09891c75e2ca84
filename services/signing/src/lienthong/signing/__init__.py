"""Signing service: trust anchors, PAdES signature validation (and, later, creation) and validation reports."""
