"""Registry service: the province's agencies, their codes and succession, client identities, sequences."""
