-- Photo reuse is looked for among every stored photo (server/photos/reuse.py): multi-index hashing.
-- The 64-bit perceptual hash (16 hex digits) is split into three parts, each indexed with the whole hash
-- beside it: phash_a = digits 1-6 (24 bits), phash_b = digits 7-11 (20 bits), phash_c = digits 12-16
-- (20 bits). A hash within the reuse distance (6 bits) of another is within 2 bits of it in part a or
-- within 1 bit in part b or c (else they differ by at least 3 + 2 + 2 = 7 bits), so a lookup reads only
-- the index entries of those few hundred part values and checks each candidate's whole hash.
-- Written for SQLite (hex digits to integers with instr); PostgreSQL runs 0013_photo_hash_parts.postgres.sql.
ALTER TABLE photos ADD COLUMN phash_a INTEGER;
ALTER TABLE photos ADD COLUMN phash_b INTEGER;
ALTER TABLE photos ADD COLUMN phash_c INTEGER;
UPDATE photos SET
    phash_a = ((instr('0123456789abcdef', substr(lower(phash), 1, 1)) - 1) << 20)
        + ((instr('0123456789abcdef', substr(lower(phash), 2, 1)) - 1) << 16)
        + ((instr('0123456789abcdef', substr(lower(phash), 3, 1)) - 1) << 12)
        + ((instr('0123456789abcdef', substr(lower(phash), 4, 1)) - 1) << 8)
        + ((instr('0123456789abcdef', substr(lower(phash), 5, 1)) - 1) << 4)
        + ((instr('0123456789abcdef', substr(lower(phash), 6, 1)) - 1) << 0),
    phash_b = ((instr('0123456789abcdef', substr(lower(phash), 7, 1)) - 1) << 16)
        + ((instr('0123456789abcdef', substr(lower(phash), 8, 1)) - 1) << 12)
        + ((instr('0123456789abcdef', substr(lower(phash), 9, 1)) - 1) << 8)
        + ((instr('0123456789abcdef', substr(lower(phash), 10, 1)) - 1) << 4)
        + ((instr('0123456789abcdef', substr(lower(phash), 11, 1)) - 1) << 0),
    phash_c = ((instr('0123456789abcdef', substr(lower(phash), 12, 1)) - 1) << 16)
        + ((instr('0123456789abcdef', substr(lower(phash), 13, 1)) - 1) << 12)
        + ((instr('0123456789abcdef', substr(lower(phash), 14, 1)) - 1) << 8)
        + ((instr('0123456789abcdef', substr(lower(phash), 15, 1)) - 1) << 4)
        + ((instr('0123456789abcdef', substr(lower(phash), 16, 1)) - 1) << 0)
WHERE phash IS NOT NULL AND length(phash) = 16;
CREATE INDEX photos_phash_a ON photos(phash_a, phash);
CREATE INDEX photos_phash_b ON photos(phash_b, phash);
CREATE INDEX photos_phash_c ON photos(phash_c, phash);
