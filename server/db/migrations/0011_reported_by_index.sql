-- The reused-photo check looks up a carrier's recent report photos (server/photos/queries.py
-- hashes_of_other_inspections): index who reported a property, so that lookup is not a scan of every house.
CREATE INDEX properties_reported_by ON properties(reported_by) WHERE reported_by IS NOT NULL;
