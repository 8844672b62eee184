"""tenken (点検): keep My Number linkage in Japanese public administration correct."""

__version__ = "0.1.0"
