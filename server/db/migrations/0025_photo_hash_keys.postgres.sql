-- PostgreSQL's text of 0025_photo_hash_keys.sql (same table, a heap with its primary key index, and
-- the same rows): the hash's hex digits become a signed 64-bit integer through a bit string.
CREATE TABLE photo_hash_keys (
    key   BIGINT NOT NULL,
    phash BIGINT NOT NULL,
    PRIMARY KEY (key, phash)
);
WITH flips(mask) AS (SELECT 0::bigint UNION ALL SELECT 1::bigint << i FROM generate_series(0, 23) AS i),
    hashes(a, b, c, phash) AS (
        SELECT DISTINCT phash_a, phash_b, phash_c, ('x' || lower(phash))::bit(64)::bigint
        FROM photos WHERE phash_a IS NOT NULL)
INSERT INTO photo_hash_keys (key, phash)
SELECT a # mask, phash FROM hashes, flips
UNION SELECT (1::bigint << 32) | b, phash FROM hashes
UNION SELECT (2::bigint << 32) | c, phash FROM hashes;
DROP INDEX photos_phash_a;
DROP INDEX photos_phash_b;
DROP INDEX photos_phash_c;
ALTER TABLE photos DROP COLUMN phash_a;
ALTER TABLE photos DROP COLUMN phash_b;
ALTER TABLE photos DROP COLUMN phash_c;
