"""Archive service: archival packages of exchanged documents, their fixity, and the delivery audit trail."""
