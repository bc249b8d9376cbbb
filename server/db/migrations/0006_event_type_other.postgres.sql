-- PostgreSQL's text of 0006_event_type_other.sql: a CHECK is altered by replacing it.
ALTER TABLE disaster_events DROP CONSTRAINT disaster_events_kind_check;
ALTER TABLE disaster_events ADD CONSTRAINT disaster_events_kind_check
    CHECK (kind IN ('earthquake', 'typhoon', 'heavy_rain', 'snow', 'other'));
