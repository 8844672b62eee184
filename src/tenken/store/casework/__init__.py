"""Casework (Django app ``casework``): runs imported from ``tenken inspect``, their cases, the
decisions and approvals on them, per-organisation roles, and the incident register.

The rules live in :mod:`tenken.linkage.review` (pure); :mod:`.services` loads a case, calls the
domain and saves the result with its audit entry in one transaction. Full My Numbers are stored
only encrypted (:mod:`tenken.vault`); what is shown is the masked form.
"""
