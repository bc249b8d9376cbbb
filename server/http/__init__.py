"""HTTP plumbing every route shares: the signed-in user and error rendering (web.py), the guards
(guards.py), input refused at the door (request_bounds.py), security headers, the API reference
and serving the field app."""
