"""The judging service."""
