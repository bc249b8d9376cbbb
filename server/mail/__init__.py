"""E-mail to owners who chose it: an outbox of approved reports and a sender that retries."""
