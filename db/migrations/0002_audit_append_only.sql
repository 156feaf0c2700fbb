-- The audit trail is append-only: UPDATE and DELETE are rejected for every role that
-- does not own the table's trigger. TRUNCATE (tests, `db seed --replace`) stays allowed;
-- it does not fire row or UPDATE/DELETE statement triggers.

create function audit_log_reject_change() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_log is append-only (% rejected)', tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_append_only
  before update or delete on audit_log
  for each statement
  execute function audit_log_reject_change();
