"""Owners and their watch subscriptions (monthly visit, options, pause, end)."""
