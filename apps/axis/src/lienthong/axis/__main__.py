"""``python -m lienthong.axis``: the ``lienthong`` command line."""

from lienthong.axis.cli import main

main()
