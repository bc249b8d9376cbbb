"""Operations: the `akiya` command, serving (one process or several on one port), backups, moving an
installation to PostgreSQL and object storage. The top layer with server/app.py: nothing below
imports it."""
