-- A mark on last month's photo (issue 23): with a spot request the owner may point at one photo of the last
-- approved watch visit of the house and one cell of a 3×3 grid over it (0 = 左上 … 8 = 右下; no pixel
-- precision needed with a finger). The request keeps it; when accepted it goes to the subscription beside
-- requested_spot, so the next watch task shows the carrier the photo with the marked cell.
ALTER TABLE owner_requests ADD COLUMN spot_photo_id TEXT REFERENCES photos(id);
ALTER TABLE owner_requests ADD COLUMN spot_cell INTEGER CHECK (spot_cell BETWEEN 0 AND 8);
-- No REFERENCES on the subscription's copy: photos → inspections → tasks → watch_subscriptions would close a
-- cycle that `akiya migrate-to` must then break elsewhere; the request's column (checked when asked) holds it.
ALTER TABLE watch_subscriptions ADD COLUMN requested_spot_photo_id TEXT;
ALTER TABLE watch_subscriptions ADD COLUMN requested_spot_cell INTEGER CHECK (requested_spot_cell BETWEEN 0 AND 8);
