-- 0007_revision_notify: every bump of the registry revision is announced with
-- NOTIFY registry_revision, 'N' (delivered when the writing transaction commits, never
-- for one that rolls back). `domicile serve` listens on one connection of its own, so it
-- knows the current revision, and which tokens are still good, without a database round
-- trip per request (docs/api.md, "Caching"). Token changes bump the revision too (their
-- audit trigger, 0003), so a revocation reaches the server the same way.

CREATE FUNCTION notify_registry_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('registry_revision', NEW.revision::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER registry_revision_notify
    AFTER UPDATE OF revision ON registry_revision
    FOR EACH ROW EXECUTE FUNCTION notify_registry_revision();
