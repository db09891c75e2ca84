"""``python -m lienthong.routing``: serve the routing service alone (distributed mode)."""

from lienthong.routing.bootstrap import main

main()
