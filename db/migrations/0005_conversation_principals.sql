-- Conversations belong to the principal (a named static token, the stdio process, later an
-- OAuth subject) that started them. A verification records that principal and is found only
-- by it, so a session or conversation id that leaks through logs, proxies or transcripts is
-- useless to anyone else, on every replica sharing this database.
--
-- Rows from before this migration get '' (no principal can present it): their
-- conversations simply have to verify again, which is the safe way round.
alter table verifications add column principal text collate "C" not null default '';
alter table verifications alter column principal drop default;
alter table verifications add constraint verifications_principal_check check (principal <> '') not valid;

-- Refused-replay detection looks a conversation up by id alone (failure paths only).
create index verifications_conversation_principal_idx on verifications (conversation_id, principal);

-- Who made each call (Principal.id, never a secret); null for entries written before.
alter table audit_log add column principal text;
