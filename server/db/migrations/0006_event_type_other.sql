-- Disaster events of another kind (竜巻, 土砂災害, 火山…): post_disaster rubric v2 has the event
-- type `other`, which the CHECK on disaster_events.kind refused.
-- SQLite cannot alter a CHECK, and rebuilding disaster_events would rewrite the foreign key of
-- tasks (foreign_keys is ON and cannot be turned off inside the migration's transaction). A CHECK
-- that only accepts more values does not change what is stored, so the table's SQL text is
-- edited in place, the way https://www.sqlite.org/lang_altertable.html ("Making Other Kinds Of
-- Table Schema Changes") describes: writable_schema, then RESET reloads this connection's
-- schema and the throwaway table bumps the schema cookie so every other connection reloads too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (kind IN (''earthquake'', ''typhoon'', ''heavy_rain'', ''snow''))',
                       'CHECK (kind IN (''earthquake'', ''typhoon'', ''heavy_rain'', ''snow'', ''other''))')
WHERE type = 'table' AND name = 'disaster_events';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump (x);
DROP TABLE schema_cookie_bump;
