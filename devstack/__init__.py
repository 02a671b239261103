"""Runs the whole system on one machine without Docker, for development, the demo and the tests."""
