"""The composition root: the all-in-one embedded runner and the ``lienthong`` command line."""
