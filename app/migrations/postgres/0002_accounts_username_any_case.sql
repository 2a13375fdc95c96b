-- Usernames keep the case they were typed in but are unique regardless of case: "Jane" and
-- "jane" would otherwise be two accounts that sign in with the same words. Usernames are ASCII
-- (see `Username`), so lower() means the same on both engines.
CREATE UNIQUE INDEX accounts_username_lower_key ON accounts (lower(username));
