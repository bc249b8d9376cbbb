"""The owner's message thread with the post office that watches their houses."""
