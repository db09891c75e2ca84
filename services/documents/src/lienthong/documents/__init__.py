"""Documents service: accepts documents and their attachments, stores them, announces them."""
