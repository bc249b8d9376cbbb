"""Documents from records: the server side of `reports` (which stays free of SQL and HTTP).
Every PDF is made by DocumentService (server.documents.service)."""
