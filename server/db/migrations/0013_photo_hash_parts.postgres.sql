-- PostgreSQL's text of 0013_photo_hash_parts.sql (same columns and indexes): hex digits become
-- integers through bit strings.
ALTER TABLE photos ADD COLUMN phash_a BIGINT;
ALTER TABLE photos ADD COLUMN phash_b BIGINT;
ALTER TABLE photos ADD COLUMN phash_c BIGINT;
UPDATE photos SET
    phash_a = ('x' || substr(phash, 1, 6))::bit(24)::bigint,
    phash_b = ('x' || substr(phash, 7, 5))::bit(20)::bigint,
    phash_c = ('x' || substr(phash, 12, 5))::bit(20)::bigint
WHERE phash IS NOT NULL AND length(phash) = 16;
CREATE INDEX photos_phash_a ON photos(phash_a, phash);
CREATE INDEX photos_phash_b ON photos(phash_b, phash);
CREATE INDEX photos_phash_c ON photos(phash_c, phash);
