"""From approved records to the `reports` input model, one module per document (the survey report's
is server/documents/survey.py): every label resolved from the rubric the visit used, every photo a
report-size file on local disk, every time in Japan time."""

from server.documents.build.disaster_notice import disaster_notice
from server.documents.build.owner_monthly import owner_monthly

__all__ = ["disaster_notice", "owner_monthly"]
