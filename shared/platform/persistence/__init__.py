"""Storing aggregates and their events: the unit of work, MongoDB behind it, and
riding out a database that is briefly away."""
