"""Monthly watch visits: one task per active subscription and month, made on demand or daily."""
