"""``python -m lienthong.archive``: serve the archive alone (distributed mode)."""

from lienthong.archive.bootstrap import main

main()
