"""Photo ingest: pure functions from an uploaded file to facts, derivatives and evidence flags."""

from server.photos.evidence import distance_m, evidence_flags, hamming
from server.photos.exif import ExifFacts, read_exif
from server.photos.ingest import MAX_PIXELS, PhotoFacts, ingest
from server.photos.rejected import PhotoRejected
from server.photos.sniff import SNIFF_BYTES, sniff_jpeg

__all__ = [
    "MAX_PIXELS",
    "SNIFF_BYTES",
    "ExifFacts",
    "PhotoFacts",
    "PhotoRejected",
    "distance_m",
    "evidence_flags",
    "hamming",
    "ingest",
    "read_exif",
    "sniff_jpeg",
]
