"""What the desk's screens share, so that no screen borrows from another.

- ``forms``: the small modal form and the full-screen form, option lists, and
  the role checks that say which role may do what;
- ``tables``: fixed-width columns, rows that carry the view they were drawn
  from, and paged lists fed by a service;
- ``times``: a stored UTC time as the centre's wall clock, and times typed in;
- ``services``: the use-case services, named so a reader and a type checker can
  follow each call, and loaded only when the first call runs.

How stored values read is ``csdesk.vocabulary``; dates and numbers, ``csdesk.formats``.
A screen imports another screen only to push it.
"""
