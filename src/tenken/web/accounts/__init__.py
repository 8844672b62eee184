"""Accounts, roles, organisations, survey rounds with their roster, and invitation links."""
