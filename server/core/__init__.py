"""What every concept uses: time (clock), settings, input limits, the error catalogue (errors,
problems), the audit log and the change log, leases, administrative codes. Imports only
server/db/ and server/storage/ below it."""
