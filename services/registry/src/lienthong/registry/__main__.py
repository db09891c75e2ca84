"""``python -m lienthong.registry``: serve the registry alone (distributed mode)."""

from lienthong.registry.bootstrap import main

main()
