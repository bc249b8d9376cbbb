"""Disaster events and the post-disaster sweep: an urgent check for every affected house."""
