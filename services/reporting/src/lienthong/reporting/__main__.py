"""``python -m lienthong.reporting``: serve reporting alone (distributed mode)."""

from lienthong.reporting.bootstrap import main

main()
