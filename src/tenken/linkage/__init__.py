"""Inspection and linking of records against the resident registry (総点検・紐付け)."""
