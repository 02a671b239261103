"""The submissions service."""
