"""Urgent findings: answers whose rubric option is marked `urgent` become alerts for the office
the moment the record syncs (raised in the push transaction), with a contact log per alert.
The owner is told only after a clerk confirms, by e-mail or on the owner's page."""
