-- A vacant-house report (property.report) may carry one photo without a survey: such a photo
-- belongs to the reported property, not to an inspection. Exactly one of inspection_id and
-- property_id is set. SQLite cannot drop NOT NULL, so photos is rebuilt (no table references
-- photos, so the rebuild rewrites no other table's foreign key).
-- The phone's clock when the carrier saved the report: the capture-time window of the report's photo
-- (a report saved offline may reach the server hours later).
ALTER TABLE properties ADD COLUMN reported_at TEXT;
CREATE TABLE photos_new (
    id             TEXT PRIMARY KEY,
    inspection_id  TEXT REFERENCES inspections(id),
    property_id    TEXT REFERENCES properties(id),   -- set only for a report's photo (slot 'report')
    slot           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    received_at    TEXT,
    bytes          INTEGER,
    width          INTEGER,
    height         INTEGER,
    taken_at       TEXT,
    offset_assumed INTEGER,
    lat            REAL,
    lon            REAL,
    device_lat     REAL,
    device_lon     REAL,
    orientation    INTEGER,
    camera         TEXT,
    phash          TEXT,
    flags          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags)),
    heading        REAL,
    CHECK ((inspection_id IS NULL) <> (property_id IS NULL))
);
INSERT INTO photos_new (id, inspection_id, slot, sha256, received_at, bytes, width, height, taken_at,
                        offset_assumed, lat, lon, device_lat, device_lon, orientation, camera, phash, flags, heading)
SELECT id, inspection_id, slot, sha256, received_at, bytes, width, height, taken_at,
       offset_assumed, lat, lon, device_lat, device_lon, orientation, camera, phash, flags, heading
FROM photos;
DROP TABLE photos;
ALTER TABLE photos_new RENAME TO photos;
CREATE INDEX photos_inspection ON photos(inspection_id);
CREATE INDEX photos_property ON photos(property_id) WHERE property_id IS NOT NULL;
CREATE INDEX photos_phash ON photos(phash);
