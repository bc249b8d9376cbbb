-- The photo reuse lookup's keys (server/photos/reuse.py, which explains the arithmetic): per hashed photo
-- 27 rows (key, phash), both integers, phash the 64-bit hash as signed 64 bits, key = part number << 32 |
-- a part value: part 0 (hash bits 40-63, the old phash_a) with each of its 24 one-bit flips, part 1 (bits
-- 20-39, phash_b) and part 2 (bits 0-19, phash_c) as they are. A lookup reads 67 keys (each part's value
-- and its one-bit flips) instead of the 343 index entries of migration 0013, whose columns and indexes go.
-- The table is its own index (WITHOUT ROWID). Rows of hashes already stored are written from the 0013
-- columns (SQLite has no XOR: a XOR m = (a | m) - (a & m)).
-- Written for SQLite; PostgreSQL runs 0025_photo_hash_keys.postgres.sql.
CREATE TABLE photo_hash_keys (
    key   INTEGER NOT NULL,
    phash INTEGER NOT NULL,
    PRIMARY KEY (key, phash)
) WITHOUT ROWID;
WITH RECURSIVE flips(mask) AS (
        SELECT 0 UNION ALL SELECT CASE mask WHEN 0 THEN 1 ELSE mask << 1 END FROM flips WHERE mask < 8388608),
    hashes(a, b, c, phash) AS (
        SELECT DISTINCT phash_a, phash_b, phash_c, (phash_a << 40) | (phash_b << 20) | phash_c
        FROM photos WHERE phash_a IS NOT NULL)
INSERT INTO photo_hash_keys (key, phash)
SELECT (a | mask) - (a & mask), phash FROM hashes, flips
UNION SELECT (1 << 32) | b, phash FROM hashes
UNION SELECT (2 << 32) | c, phash FROM hashes;
DROP INDEX photos_phash_a;
DROP INDEX photos_phash_b;
DROP INDEX photos_phash_c;
ALTER TABLE photos DROP COLUMN phash_a;
ALTER TABLE photos DROP COLUMN phash_b;
ALTER TABLE photos DROP COLUMN phash_c;
