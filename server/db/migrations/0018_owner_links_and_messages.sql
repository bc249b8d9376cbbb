-- One-time sign-in links for owners, as an alternative to the password (server/auth/sign_in_links.py):
-- asked for with the owner's e-mail address, mailed by the mail loop (server/mail/sign_in.py), good
-- for one sign-in within 15 minutes. The link's secret is checked against its sha256 (token_hash);
-- the secret itself stays in mail_secret only until the mail is handed to the SMTP server or the link
-- expires, then it is set to NULL.
CREATE TABLE sign_in_links (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    mail_secret   TEXT,
    mail_status   TEXT NOT NULL DEFAULT 'pending' CHECK (mail_status IN ('pending', 'sent', 'failed', 'expired')),
    mail_attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sign_in_links_mail ON sign_in_links(mail_status, expires_at);
CREATE INDEX sign_in_links_user ON sign_in_links(user_id);

-- The owner's message thread with the post office (server/messages/queries.py): both sides see its
-- whole history; each new message is told to the other side by e-mail through the mail loop
-- (notice: 'none' when there is nobody to mail, else 'pending' until sent or given up).
CREATE TABLE owner_messages (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES owners(id),
    author_id   INTEGER NOT NULL REFERENCES users(id),
    author_side TEXT NOT NULL CHECK (author_side IN ('owner', 'office')),
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    notice      TEXT NOT NULL DEFAULT 'none' CHECK (notice IN ('none', 'pending', 'sent', 'failed')),
    notice_attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX owner_messages_owner ON owner_messages(owner_id, id);
CREATE INDEX owner_messages_notice ON owner_messages(notice);
