-- One upload store (ADR-021, issue 16). Until now there were two: `upload`
-- (0002: photos and scans sent as one binary body, accounts) and
-- `evidence_upload` (0005: files sent in ordered chunks and checked against
-- their declared size and sha256, replacements and temporary plates). They
-- become one table, `upload`, kept by bff/src/platform/uploads. Every stored
-- file moves with its id, so every reference to it stays valid; the two
-- foreign keys that pointed at evidence_upload now point at upload.
--
-- The purposes ("upload kinds") are declared by the modules that accept them
-- (`uploadKinds` in their descriptors) and checked there; the table checks
-- only their form, so a module's new kind needs no migration.

ALTER TABLE upload RENAME COLUMN data TO content;
ALTER TABLE upload ALTER COLUMN content SET DEFAULT ''::bytea;
ALTER TABLE upload DROP CONSTRAINT upload_purpose_check;
ALTER TABLE upload DROP CONSTRAINT upload_check;   -- octet_length(content) = size_bytes: true of complete files only
ALTER TABLE upload
  ADD COLUMN file_name    text CHECK (length(file_name) BETWEEN 1 AND 200),   -- as the client named it (chunked uploads)
  ADD COLUMN status       text NOT NULL DEFAULT 'complete' CHECK (status IN ('receiving', 'complete')),
  ADD COLUMN next_chunk   integer NOT NULL DEFAULT 0 CHECK (next_chunk >= 0),
  ADD COLUMN completed_at timestamptz;
UPDATE upload SET completed_at = created_at;
ALTER TABLE upload ALTER COLUMN status DROP DEFAULT;
ALTER TABLE upload
  ADD CONSTRAINT upload_purpose_form CHECK (purpose ~ '^[a-z][a-z0-9_]{0,62}$'),
  ADD CONSTRAINT upload_received_within_size CHECK (octet_length(content) <= size_bytes),
  ADD CONSTRAINT upload_completed_at CHECK ((status = 'complete') = (completed_at IS NOT NULL)),
  ADD CONSTRAINT upload_complete_is_whole CHECK (status = 'receiving' OR octet_length(content) = size_bytes);

-- Every file of the other store, with its id (uuids: a clash would fail here, loudly, and roll back).
INSERT INTO upload (id, purpose, content_type, size_bytes, sha256, content, owner_kind, owner_id, authority_id, created_at,
                    file_name, status, next_chunk, completed_at)
SELECT id, purpose, content_type, size_bytes, sha256, content, owner_kind, owner_id, NULL, created_at,
       file_name, status, next_chunk, completed_at
FROM evidence_upload;

-- R-29.1.1 insurance certificates and R-31.2 dealer documents now reference the one store.
ALTER TABLE replacement_application
  DROP CONSTRAINT replacement_application_insurance_upload_id_fkey,
  ADD CONSTRAINT replacement_application_insurance_upload_id_fkey FOREIGN KEY (insurance_upload_id) REFERENCES upload(id);
ALTER TABLE dealer_qualification_document
  DROP CONSTRAINT dealer_qualification_document_upload_id_fkey,
  ADD CONSTRAINT dealer_qualification_document_upload_id_fkey FOREIGN KEY (upload_id) REFERENCES upload(id);

DROP TABLE evidence_upload;
