-- The second sign-in factor (TOTP, RFC 6238). `totp_secret` is the secret in use (base32);
-- `totp_pending` one shown for enrolment and not yet confirmed; `totp_last_step` the last 30-second
-- step whose code was accepted, so no code works twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;

-- A password that was right, waiting for its code (five minutes, five tries). Only the SHA-256 of
-- the ticket is kept, as for sessions.
CREATE TABLE login_tickets (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    expires_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0
);
