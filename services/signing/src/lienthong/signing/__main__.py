"""``python -m lienthong.signing``: serve the signing service alone (distributed mode)."""

from lienthong.signing.bootstrap import main

main()
