"""What an owner asks for from their pages, and the office's answer."""
