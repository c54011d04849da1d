"""Back-office screens of the extranet (registration queue and members come with the accounts work)."""
