-- Where the camera pointed: the phone's compass (EXIF GPSImgDirection), degrees clockwise from
-- north, NULL when the photo does not say. The owner's report prints it as 北東向き etc.
ALTER TABLE photos ADD COLUMN heading REAL;
